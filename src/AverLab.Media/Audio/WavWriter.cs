using System.Buffers.Binary;

namespace AverLab.Media.Audio;

/// <summary>Writes RIFF/WAVE files (PCM 16/24/32-bit or IEEE float 32), interleaving channels. Samples outside
/// [-1, 1] are clipped for PCM. The file is written to a temp name and renamed, so readers never see half a file.</summary>
public static class WavWriter
{
    public static void Write(string path, float[] mono, int sampleRate, WavSampleFormat format = WavSampleFormat.Pcm16) =>
        Write(path, new AudioSignal(mono, sampleRate), format);

    public static void Write(string path, AudioSignal signal, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        var bytes = Encode(signal, format);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temp = full + $".{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>The complete file as bytes (header + data).</summary>
    public static byte[] Encode(AudioSignal signal, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        var bits = format switch { WavSampleFormat.Pcm16 => 16, WavSampleFormat.Pcm24 => 24, _ => 32 };
        var blockAlign = signal.ChannelCount * bits / 8;
        var dataBytes = (long)signal.Length * blockAlign;
        if (dataBytes + 36 > uint.MaxValue) throw new ArgumentException("signal too long for a WAV file (4 GiB limit)");
        var buf = new byte[44 + dataBytes];
        var s = buf.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(36 + dataBytes));
        "WAVE"u8.CopyTo(s[8..]);
        "fmt "u8.CopyTo(s[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], (ushort)(format == WavSampleFormat.Float32 ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], (ushort)signal.ChannelCount);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)signal.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)(signal.SampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], (ushort)bits);
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], (uint)dataBytes);
        var o = 44;
        for (var i = 0; i < signal.Length; i++)
            foreach (var channel in signal.Channels)
            {
                var v = channel[i];
                switch (format)
                {
                    case WavSampleFormat.Float32:
                        BinaryPrimitives.WriteSingleLittleEndian(s[o..], v);
                        break;
                    case WavSampleFormat.Pcm16:
                        BinaryPrimitives.WriteInt16LittleEndian(s[o..], (short)Math.Round(Math.Clamp(v, -1f, 1f) * 32767f));
                        break;
                    case WavSampleFormat.Pcm24:
                        var q = (int)Math.Round(Math.Clamp(v, -1f, 1f) * 8388607f);
                        s[o] = (byte)q;
                        s[o + 1] = (byte)(q >> 8);
                        s[o + 2] = (byte)(q >> 16);
                        break;
                    case WavSampleFormat.Pcm32:
                        BinaryPrimitives.WriteInt32LittleEndian(s[o..], (int)Math.Round(Math.Clamp((double)v, -1.0, 1.0) * int.MaxValue));
                        break;
                }
                o += bits / 8;
            }
        return buf;
    }
}
