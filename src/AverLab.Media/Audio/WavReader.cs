using System.Buffers.Binary;

namespace AverLab.Media.Audio;

/// <summary>Reads RIFF/WAVE files as real corpora ship them: PCM 8 (unsigned)/16/24/32-bit, IEEE float 32/64,
/// WAVE_FORMAT_EXTENSIBLE (the sub-format GUID decides), any channel count, unknown chunks before or after
/// <c>data</c> (LIST, bext, FLLR, _PMX, ...), odd-sized chunks with their pad byte, and a <c>data</c> size of 0 or
/// larger than the file (streaming recorders write those: the samples that are there are read). Samples are scaled
/// as soundfile/librosa do (int16 / 32768, unsigned 8-bit (b - 128) / 128, ...). Every malformation raises
/// <see cref="MediaFormatException"/> naming the file and the problem; allocations never exceed the file's size.</summary>
public static class WavReader
{
    private const ushort FormatPcm = 1, FormatFloat = 3, FormatExtensible = 0xFFFE;

    /// <summary>The lowest sample rate read (Hz).</summary>
    public const int MinSampleRate = 1000;

    // KSDATAFORMAT_SUBTYPE_* GUIDs share these 14 bytes after the 2-byte format tag.
    private static readonly byte[] GuidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Reads a WAV file. Throws <see cref="MediaFormatException"/> for a missing or malformed file.</summary>
    public static AudioSignal Read(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new MediaFormatException(path, "file not found");
            if (info.Length > int.MaxValue) throw new MediaFormatException(path, $"file is {info.Length} bytes; WAV files over 2 GiB are not supported (use AudioDecoder)");
            bytes = File.ReadAllBytes(path);
        }
        catch (MediaFormatException) { throw; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MediaFormatException(path, $"cannot read file ({e.Message})", e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes the bytes of a complete WAV file; <paramref name="name"/> names it in errors.</summary>
    public static AudioSignal Decode(ReadOnlySpan<byte> file, string name)
    {
        var (f, dataStart, dataLength) = Locate(file, name);
        var frames = dataLength / f.BlockAlign; // a partial last frame (truncated file) is dropped
        if (frames == 0) throw Bad(name, dataLength == 0 ? "zero-length data: the data chunk holds no samples" : $"zero-length data: {dataLength} bytes is less than one frame ({f.BlockAlign} bytes)");

        var channels = new float[f.Channels][];
        for (var c = 0; c < channels.Length; c++) channels[c] = new float[frames];
        var data = file.Slice(dataStart, frames * f.BlockAlign);
        var bytesPerSample = f.Bits / 8;
        var o = 0;
        for (var i = 0; i < frames; i++)
            for (var c = 0; c < f.Channels; c++, o += bytesPerSample)
            {
                var s = data.Slice(o, bytesPerSample);
                float v;
                if (f.IsFloat)
                {
                    double d = bytesPerSample == 4 ? BinaryPrimitives.ReadSingleLittleEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s);
                    if (!double.IsFinite(d)) throw Bad(name, $"NaN/Inf float sample at frame {i}, channel {c}");
                    v = (float)d;
                    if (!float.IsFinite(v)) throw Bad(name, $"float sample {d} at frame {i}, channel {c} overflows float32");
                }
                else
                {
                    v = bytesPerSample switch
                    {
                        1 => (s[0] - 128) / 128f,
                        2 => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
                        3 => ((s[0] | (s[1] << 8) | (s[2] << 16)) << 8 >> 8) / 8388608f,
                        _ => (float)(BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0),
                    };
                }
                channels[c][i] = v;
            }
        return new AudioSignal(channels, f.SampleRate);
    }

    /// <summary>The format and the sample bytes (start, length) of a WAV file's bytes: the header checks of
    /// <see cref="Decode"/>, which throws what this throws. A data size of 0 or past the end (a recorder that never
    /// patched it, or ffmpeg writing to a pipe) means the bytes that are there.</summary>
    internal static (Format Format, int DataStart, int DataLength) Locate(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 12) throw Bad(name, $"truncated header: {file.Length} bytes, a WAV file needs at least 12 for the RIFF header");
        if (file[..4].SequenceEqual("RIFX"u8)) throw Bad(name, "big-endian RIFX files are not supported");
        if (!file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw Bad(name, $"not a RIFF/WAVE file (starts with {Printable(file[..Math.Min(12, file.Length)])})");

        Format? fmt = null;
        int dataStart = -1, dataLength = 0;
        var pos = 12;
        while (pos + 8 <= file.Length)
        {
            var id = file.Slice(pos, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(pos + 4, 4));
            var body = pos + 8;
            var available = file.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16) throw Bad(name, $"fmt chunk is {size} bytes; at least 16 are required");
                if (size > available) throw Bad(name, $"truncated header: fmt chunk says {size} bytes but only {available} remain in the file");
                fmt = ParseFormat(file.Slice(body, (int)size), name);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (fmt == null) throw Bad(name, "data chunk comes before the fmt chunk");
                dataStart = body;
                // Size 0 or past the end: a recorder that never patched the header. Read what is there.
                dataLength = size == 0 || size > available ? available : (int)size;
                break;
            }
            if (size > available) break; // an unknown trailing chunk cut short: harmless, stop scanning
            pos = body + (int)size + (int)(size & 1); // odd-sized chunks carry a pad byte
        }
        if (fmt == null) throw Bad(name, pos + 8 > file.Length && pos == 12 ? "truncated header: no chunks after the RIFF header" : "no fmt chunk");
        if (dataStart < 0) throw Bad(name, "no data chunk");
        return (fmt.Value, dataStart, dataLength);
    }

    internal readonly record struct Format(int Channels, int SampleRate, int BlockAlign, int Bits, bool IsFloat);

    private static Format ParseFormat(ReadOnlySpan<byte> c, string name)
    {
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(c);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(c[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(c[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(c[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(c[14..]);
        var sub = tag;
        if (tag == FormatExtensible)
        {
            if (c.Length < 40) throw Bad(name, $"WAVE_FORMAT_EXTENSIBLE fmt chunk is {c.Length} bytes; 40 are required");
            var guid = c.Slice(24, 16);
            if (!guid[2..].SequenceEqual(GuidTail)) throw Bad(name, "unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID");
            sub = BinaryPrimitives.ReadUInt16LittleEndian(guid);
        }
        if (sub != FormatPcm && sub != FormatFloat)
            throw Bad(name, $"unsupported format tag 0x{sub:X4} ({TagName(sub)}); only PCM and IEEE float are read natively (use AudioDecoder for compressed WAV)");
        if (channels == 0) throw Bad(name, "header says 0 channels");
        // Under 1 kHz is no audio recording; such a header (a corrupt one) would make the resampler turn a few thousand
        // samples into hours of audio.
        if (rate < MinSampleRate || rate > 10_000_000) throw Bad(name, $"header says sample rate {rate} Hz (readable: {MinSampleRate} Hz to 10 MHz)");
        var isFloat = sub == FormatFloat;
        if (isFloat ? bits is not (32 or 64) : bits is not (8 or 16 or 24 or 32))
            throw Bad(name, $"unsupported {(isFloat ? "IEEE float" : "PCM")} sample size of {bits} bits");
        if (blockAlign != channels * bits / 8)
            throw Bad(name, $"header lies about sizes: block align {blockAlign} but {channels} channels x {bits} bits need {channels * bits / 8}");
        return new Format(channels, (int)rate, blockAlign, bits, isFloat);
    }

    private static string TagName(int tag) => tag switch
    {
        2 => "Microsoft ADPCM", 6 => "A-law", 7 => "mu-law", 0x11 => "IMA ADPCM", 0x55 => "MPEG layer 3", _ => "unknown",
    };

    private static string Printable(ReadOnlySpan<byte> head)
    {
        var chars = new char[head.Length];
        for (var i = 0; i < head.Length; i++) chars[i] = head[i] is >= 32 and < 127 ? (char)head[i] : '.';
        return $"\"{new string(chars)}\"";
    }

    private static MediaFormatException Bad(string name, string problem) => new(name, problem);
}
