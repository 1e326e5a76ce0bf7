using System.Buffers.Binary;

namespace AverLab.Media.Images;

/// <summary>The width and height an image file's header claims, read without decoding (PNG, JPEG, BMP, WebP).
/// OpenCV allocates and decodes whatever size a header claims, so a corrupt header must be refused before
/// imdecode, not after it.</summary>
public static class ImageHeader
{
    /// <summary>The claimed size, or null when the format is not one of these or the header is too short to say.</summary>
    public static (long Width, long Height)? TryReadSize(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 24 && b[..8].SequenceEqual(PngSignature) && b.Slice(12, 4).SequenceEqual("IHDR"u8))
            return (BinaryPrimitives.ReadUInt32BigEndian(b[16..]), BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
        if (b.Length >= 4 && b[0] == 0xFF && b[1] == 0xD8) return Jpeg(b);
        if (b.Length >= 26 && b[0] == (byte)'B' && b[1] == (byte)'M')
        {
            var dib = BinaryPrimitives.ReadUInt32LittleEndian(b[14..]);
            return dib == 12
                ? (BinaryPrimitives.ReadUInt16LittleEndian(b[18..]), BinaryPrimitives.ReadUInt16LittleEndian(b[20..]))
                : (Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(b[18..])), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(b[22..])));
        }
        if (b.Length >= 30 && b[..4].SequenceEqual("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            var chunk = b.Slice(12, 4);
            if (chunk.SequenceEqual("VP8X"u8))
                return (1 + (b[24] | b[25] << 8 | b[26] << 16), 1 + (b[27] | b[28] << 8 | b[29] << 16));
            if (chunk.SequenceEqual("VP8 "u8))
                return (BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
            if (chunk.SequenceEqual("VP8L"u8) && b.Length >= 25)
            {
                var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
                return (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
            }
        }
        return null;
    }

    /// <summary>A PNG whose chunk claims more bytes than the file holds (a corrupt length or a truncated file), named
    /// with the chunk; null when every chunk fits or the bytes are not a PNG. OpenCV's PNG reader allocates a chunk's
    /// claimed length before reading it: gigabytes and seconds for one corrupt length field.</summary>
    public static string? PngChunkOverrun(ReadOnlySpan<byte> b)
    {
        if (b.Length < 8 || !b[..8].SequenceEqual(PngSignature)) return null;
        long at = 8;
        while (at + 8 <= b.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(b[(int)at..]);
            var type = string.Concat(b.Slice((int)at + 4, 4).ToArray().Select(c => c is >= 0x20 and < 0x7F ? (char)c : '?'));
            if (length + 12 > b.Length - at)
                return $"PNG chunk '{type}' at byte {at} claims {length:N0} bytes, the file holds {b.Length - at - 12:N0} after its header (truncated or corrupt)";
            if (type == "IEND") break;
            at += 12 + length;
        }
        return null;
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The first start-of-frame segment's size, walking the segments from SOI up to the first scan.</summary>
    private static (long, long)? Jpeg(ReadOnlySpan<byte> b)
    {
        var i = 2;
        while (i + 1 < b.Length)
        {
            if (b[i] != 0xFF) return null;
            var marker = b[i + 1];
            if (marker == 0xFF) { i++; continue; } // fill byte
            i += 2;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) continue; // no length
            if (marker is 0xD9 or 0xDA || i + 2 > b.Length) return null; // end or scan before any frame header
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[i..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return i + 7 <= b.Length ? (BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(i + 3)..])) : null;
            if (length < 2) return null;
            i += length;
        }
        return null;
    }
}
