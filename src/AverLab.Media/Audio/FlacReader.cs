using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace AverLab.Media.Audio;

/// <summary>A managed FLAC decoder (the format's reference: xiph.org/flac/format.html): STREAMINFO, then frames of
/// CONSTANT, VERBATIM, FIXED and LPC subframes with Rice-coded residuals, the three stereo decorrelations and wasted
/// bits. FLAC is lossless, so a file that decodes here with every frame's CRC-8 and CRC-16 right, the stream's sample
/// count and (when the encoder stored one) the MD5 of the samples equal to STREAMINFO's, holds exactly the samples
/// ffmpeg decodes; they are scaled as ffmpeg's float conversion does (v / 2^(bits − 1)). Anything else — an ID3 tag in
/// front, a damaged or truncated frame, a mismatch — returns null, and <see cref="AudioLoader"/> hands the file to
/// ffmpeg, whose decoding and error messages stay what they were. Saves the ffprobe and ffmpeg processes of a FLAC
/// file (their start costs more than decoding).</summary>
public static class FlacReader
{
    /// <summary>The decoded file, or null when it is not a plain FLAC stream this reader verified in full.</summary>
    public static AudioSignal? TryRead(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return TryDecode(bytes);
    }

    /// <summary>Decodes the bytes of a whole FLAC file; null for anything not verified (see the class summary).</summary>
    public static AudioSignal? TryDecode(byte[] file)
    {
        try
        {
            return Decode(file);
        }
        catch (Bad)
        {
            return null;
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            return null; // a malformed stream that slipped past a check: ffmpeg gets it and says what is wrong
        }
    }

    private sealed class Bad() : Exception("not a FLAC stream this reader verifies");

    private static AudioSignal Decode(byte[] file)
    {
        if (file.Length < 42 || !file.AsSpan(0, 4).SequenceEqual("fLaC"u8)) throw new Bad();
        var pos = 4;
        int rate = 0, channels = 0, bits = 0, maxBlock = 0;
        long total = 0;
        byte[]? md5 = null;
        var last = false;
        var first = true;
        while (!last)
        {
            if (pos + 4 > file.Length) throw new Bad();
            last = (file[pos] & 0x80) != 0;
            var type = file[pos] & 0x7F;
            var length = (file[pos + 1] << 16) | (file[pos + 2] << 8) | file[pos + 3];
            pos += 4;
            if (pos + length > file.Length) throw new Bad();
            if (first != (type == 0)) throw new Bad(); // STREAMINFO first, once
            if (type == 0)
            {
                if (length < 34) throw new Bad();
                var s = file.AsSpan(pos, 34);
                maxBlock = BinaryPrimitives.ReadUInt16BigEndian(s[2..]);
                var packed = BinaryPrimitives.ReadUInt64BigEndian(s[10..]);
                rate = (int)(packed >> 44);
                channels = (int)((packed >> 41) & 7) + 1;
                bits = (int)((packed >> 36) & 31) + 1;
                total = (long)(packed & 0xF_FFFF_FFFFUL);
                md5 = s.Slice(18, 16).ToArray();
                if (md5.All(b => b == 0)) md5 = null;
            }
            else if (type == 127) throw new Bad();
            first = false;
            pos += length;
        }
        // Rates below WavReader's floor are no recording; unknown totals (0) or absurd ones are left to ffmpeg.
        if (rate < WavReader.MinSampleRate || bits < 4 || bits > 32 || total <= 0 || total > int.MaxValue / 2 || maxBlock < 16) throw new Bad();

        var output = new int[channels][];
        for (var c = 0; c < channels; c++) output[c] = new int[total];
        var md5Hash = md5 != null ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        var md5Buffer = md5 != null ? new byte[maxBlock * channels * ((bits + 7) / 8)] : [];
        var residual = new int[maxBlock];
        long done = 0;
        try
        {
            while (done < total)
            {
                var n = DecodeFrame(file, ref pos, rate, channels, bits, output, done, total, residual);
                if (md5Hash != null) HashBlock(md5Hash, md5Buffer, output, done, n, bits);
                done += n;
            }
            if (md5Hash != null && !md5Hash.GetHashAndReset().AsSpan().SequenceEqual(md5)) throw new Bad();
        }
        finally
        {
            md5Hash?.Dispose();
        }
        var scale = 1.0f / (1L << (bits - 1));
        var result = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            var src = output[c];
            var dst = result[c] = new float[total];
            for (var i = 0; i < dst.Length; i++) dst[i] = src[i] * scale;
        }
        return new AudioSignal(result, rate);
    }

    private static int DecodeFrame(byte[] file, ref int pos, int rate, int channels, int bits, int[][] output, long offset, long total, int[] residual)
    {
        var start = pos;
        if (pos + 6 > file.Length || file[pos] != 0xFF || (file[pos + 1] & 0xFE) != 0xF8) throw new Bad();
        var b2 = file[pos + 2];
        var b3 = file[pos + 3];
        var blockCode = b2 >> 4;
        var rateCode = b2 & 15;
        var assignment = b3 >> 4;
        var sizeCode = (b3 >> 1) & 7;
        if ((b3 & 1) != 0 || blockCode == 0 || rateCode == 15 || assignment > 10 || sizeCode == 3) throw new Bad();
        pos += 4;
        // The frame or sample number, UTF-8 style: its value is not needed, the frames are read in order.
        var lead = BitOperations.LeadingZeroCount((uint)(~file[pos] & 0xFF)) - 24;
        if (lead == 1 || lead > 7) throw new Bad();
        pos += lead == 0 ? 1 : lead;
        int blockSize = blockCode switch
        {
            1 => 192,
            >= 2 and <= 5 => 576 << (blockCode - 2),
            6 => file[pos++] + 1,
            7 => ((file[pos++] << 8) | file[pos++]) + 1,
            _ => 256 << (blockCode - 8),
        };
        switch (rateCode)
        {
            case 12: pos += 1; break;
            case 13 or 14: pos += 2; break;
        }
        if (rateCode is >= 1 and <= 11 && RateOf(rateCode) != rate) throw new Bad(); // a rate change mid-stream
        var frameBits = sizeCode switch { 0 => bits, 1 => 8, 2 => 12, 4 => 16, 5 => 20, 6 => 24, _ => 32 };
        if (frameBits != bits) throw new Bad();
        if (pos >= file.Length || Crc8(file.AsSpan(start, pos - start)) != file[pos]) throw new Bad();
        pos++;
        var frameChannels = assignment <= 7 ? assignment + 1 : 2;
        if (frameChannels != channels || blockSize > residual.Length || offset + blockSize > total) throw new Bad();

        var reader = new BitReader(file, pos);
        for (var c = 0; c < channels; c++)
        {
            var side = assignment == 8 && c == 1 || assignment == 9 && c == 0 || assignment == 10 && c == 1;
            Subframe(ref reader, output[c].AsSpan((int)offset, blockSize), bits + (side ? 1 : 0), residual);
        }
        pos = reader.AlignedBytePosition();
        if (pos + 2 > file.Length || Crc16(file.AsSpan(start, pos - start)) != BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(pos))) throw new Bad();
        pos += 2;

        if (assignment >= 8)
        {
            var a = output[0].AsSpan((int)offset, blockSize);
            var b = output[1].AsSpan((int)offset, blockSize);
            for (var i = 0; i < blockSize; i++)
            {
                switch (assignment)
                {
                    case 8: b[i] = a[i] - b[i]; break; // left/side: right = left - side
                    case 9: a[i] += b[i]; break; // side/right: left = side + right
                    default:
                        long mid = ((long)a[i] << 1) | (b[i] & 1L), s = b[i];
                        a[i] = (int)((mid + s) >> 1);
                        b[i] = (int)((mid - s) >> 1);
                        break;
                }
            }
        }
        return blockSize;
    }

    private static int RateOf(int code) => code switch
    {
        1 => 88200, 2 => 176400, 3 => 192000, 4 => 8000, 5 => 16000, 6 => 22050, 7 => 24000, 8 => 32000, 9 => 44100, 10 => 48000, _ => 96000,
    };

    private static void Subframe(ref BitReader r, Span<int> output, int sampleBits, int[] residual)
    {
        if (r.ReadBits(1) != 0) throw new Bad();
        var type = (int)r.ReadBits(6);
        var wasted = 0;
        if (r.ReadBits(1) != 0) wasted = r.ReadUnary() + 1;
        sampleBits -= wasted;
        if (sampleBits < 1 || sampleBits > 33) throw new Bad();
        var n = output.Length;
        if (type == 0)
        {
            output.Fill((int)r.ReadSigned(sampleBits));
        }
        else if (type == 1)
        {
            for (var i = 0; i < n; i++) output[i] = (int)r.ReadSigned(sampleBits);
        }
        else if (type is >= 8 and <= 12)
        {
            var order = type - 8;
            if (order > n) throw new Bad();
            for (var i = 0; i < order; i++) output[i] = (int)r.ReadSigned(sampleBits);
            Residual(ref r, residual, n, order);
            for (var i = order; i < n; i++)
            {
                long e = residual[i];
                output[i] = (int)(order switch
                {
                    0 => e,
                    1 => e + output[i - 1],
                    2 => e + 2L * output[i - 1] - output[i - 2],
                    3 => e + 3L * output[i - 1] - 3L * output[i - 2] + output[i - 3],
                    _ => e + 4L * output[i - 1] - 6L * output[i - 2] + 4L * output[i - 3] - output[i - 4],
                });
            }
        }
        else if (type >= 32)
        {
            var order = type - 31;
            if (order > n) throw new Bad();
            for (var i = 0; i < order; i++) output[i] = (int)r.ReadSigned(sampleBits);
            var precision = (int)r.ReadBits(4) + 1;
            if (precision == 16) throw new Bad();
            var shift = (int)r.ReadSigned(5);
            if (shift < 0) throw new Bad();
            Span<long> coefficients = stackalloc long[order];
            for (var j = 0; j < order; j++) coefficients[j] = r.ReadSigned(precision);
            Residual(ref r, residual, n, order);
            for (var i = order; i < n; i++)
            {
                long sum = 0;
                for (var j = 0; j < order; j++) sum += coefficients[j] * output[i - 1 - j];
                output[i] = (int)(residual[i] + (sum >> shift));
            }
        }
        else throw new Bad();
        if (wasted > 0)
            for (var i = 0; i < n; i++) output[i] <<= wasted;
    }

    /// <summary>Rice-coded residual of one subframe into residual[order..n).</summary>
    private static void Residual(ref BitReader r, int[] residual, int n, int order)
    {
        var method = (int)r.ReadBits(2);
        if (method > 1) throw new Bad();
        var paramBits = method == 0 ? 4 : 5;
        var escape = method == 0 ? 15 : 31;
        var partitionOrder = (int)r.ReadBits(4);
        var partitions = 1 << partitionOrder;
        if (n % partitions != 0 || (n >> partitionOrder) < order) throw new Bad();
        var i = order;
        for (var p = 0; p < partitions; p++)
        {
            var count = (n >> partitionOrder) - (p == 0 ? order : 0);
            var k = (int)r.ReadBits(paramBits);
            if (k == escape)
            {
                var raw = (int)r.ReadBits(5);
                for (var j = 0; j < count; j++) residual[i++] = raw == 0 ? 0 : (int)r.ReadSigned(raw);
            }
            else
            {
                for (var j = 0; j < count; j++)
                {
                    var q = (long)r.ReadUnary();
                    var u = (q << k) | (long)r.ReadBits(k);
                    residual[i++] = (int)((u >> 1) ^ -(u & 1));
                }
            }
        }
    }

    /// <summary>The samples of one block as the MD5 of STREAMINFO covers them: interleaved, little-endian, whole bytes.</summary>
    private static void HashBlock(IncrementalHash md5, byte[] buffer, int[][] output, long offset, int n, int bits)
    {
        var width = (bits + 7) / 8;
        var o = 0;
        for (var i = 0; i < n; i++)
            foreach (var channel in output)
            {
                var v = channel[offset + i];
                for (var b = 0; b < width; b++) buffer[o++] = (byte)(v >> (8 * b));
            }
        md5.AppendData(buffer, 0, o);
    }

    private static byte Crc8(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var d in data)
        {
            crc ^= d;
            for (var i = 0; i < 8; i++) crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
        }
        return (byte)crc;
    }

    private static readonly ushort[] Crc16Table = BuildCrc16();

    private static ushort[] BuildCrc16()
    {
        var t = new ushort[256];
        for (var n = 0; n < 256; n++)
        {
            var c = n << 8;
            for (var i = 0; i < 8; i++) c = (c & 0x8000) != 0 ? (c << 1) ^ 0x8005 : c << 1;
            t[n] = (ushort)c;
        }
        return t;
    }

    private static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var d in data) crc = (ushort)((crc << 8) ^ Crc16Table[(crc >> 8) ^ d]);
        return crc;
    }

    /// <summary>Big-endian bits of a byte array; reading past the end is <see cref="Bad"/>.</summary>
    private struct BitReader(byte[] data, int bytePosition)
    {
        private long bit = (long)bytePosition * 8;
        private readonly long end = (long)data.Length * 8;

        public ulong ReadBits(int n)
        {
            if (n == 0) return 0;
            if (bit + n > end) throw new Bad();
            var index = (int)(bit >> 3);
            var skip = (int)(bit & 7);
            var need = (skip + n + 7) >> 3;
            ulong v = 0;
            for (var i = 0; i < need; i++) v = (v << 8) | data[index + i];
            v >>= need * 8 - skip - n;
            bit += n;
            return n == 64 ? v : v & ((1UL << n) - 1);
        }

        public long ReadSigned(int n)
        {
            var v = ReadBits(n);
            return (long)(v << (64 - n)) >> (64 - n);
        }

        /// <summary>Zeros before the next one bit (which is consumed).</summary>
        public int ReadUnary()
        {
            var count = 0;
            while (true)
            {
                if (bit >= end) throw new Bad();
                var skip = (int)(bit & 7);
                var b = (data[bit >> 3] << skip) & 0xFF;
                if (b == 0)
                {
                    count += 8 - skip;
                    bit += 8 - skip;
                    continue;
                }
                var zeros = BitOperations.LeadingZeroCount((uint)b) - 24;
                count += zeros;
                bit += zeros + 1;
                return count;
            }
        }

        public int AlignedBytePosition() => (int)((bit + 7) >> 3);
    }
}
