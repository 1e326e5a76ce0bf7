using System.Buffers.Binary;

namespace AverLab.Media.Tests.Audio;

/// <summary>Builds WAV files chunk by chunk for reader tests (formats and layouts WavWriter does not produce).</summary>
internal sealed class WavBuilder
{
    private readonly List<(string Id, byte[] Body)> _chunks = [];

    public static byte[] Fmt(ushort tag, int channels, int rate, int bits, bool extensible = false, ushort subTag = 1)
    {
        var block = channels * bits / 8;
        var body = new byte[extensible ? 40 : 16];
        var s = body.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(s, extensible ? (ushort)0xFFFE : tag);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], (uint)(rate * block));
        BinaryPrimitives.WriteUInt16LittleEndian(s[12..], (ushort)block);
        BinaryPrimitives.WriteUInt16LittleEndian(s[14..], (ushort)bits);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s[16..], 22);
            BinaryPrimitives.WriteUInt16LittleEndian(s[18..], (ushort)bits);
            BinaryPrimitives.WriteUInt32LittleEndian(s[20..], channels == 2 ? 3u : 4u);
            BinaryPrimitives.WriteUInt16LittleEndian(s[24..], subTag);
            new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }.CopyTo(s[26..]);
        }
        return body;
    }

    public WavBuilder Chunk(string id, byte[] body) { _chunks.Add((id, body)); return this; }

    /// <summary>The file; <paramref name="dataSizeOverride"/> replaces the data chunk's size field (streaming recorders).</summary>
    public byte[] Build(uint? dataSizeOverride = null)
    {
        using var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write("RIFF"u8);
        w.Write(0u);
        w.Write("WAVE"u8);
        foreach (var (id, body) in _chunks)
        {
            w.Write(System.Text.Encoding.ASCII.GetBytes(id));
            w.Write(id == "data" && dataSizeOverride is { } o ? o : (uint)body.Length);
            w.Write(body);
            if (body.Length % 2 == 1) w.Write((byte)0);
        }
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] Pcm16(params short[] samples)
    {
        var b = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), samples[i]);
        return b;
    }

    public static byte[] Float32(params float[] samples)
    {
        var b = new byte[samples.Length * 4];
        for (var i = 0; i < samples.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), samples[i]);
        return b;
    }

    public static byte[] Float64(params double[] samples)
    {
        var b = new byte[samples.Length * 8];
        for (var i = 0; i < samples.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(8 * i), samples[i]);
        return b;
    }

    /// <summary>A 16-bit mono file with a LIST chunk before data and an odd-sized chunk after it.</summary>
    public static byte[] TypicalPcm16(int frames = 64) =>
        new WavBuilder().Chunk("fmt ", Fmt(1, 1, 16000, 16)).Chunk("LIST", new byte[7])
            .Chunk("data", Pcm16(Enumerable.Range(0, frames).Select(i => (short)(i * 300 - 9000)).ToArray()))
            .Chunk("_PMX", new byte[3]).Build();
}
