namespace AverLab.Data.Corpora;

/// <summary>A cheap header check readers can run on each file (no decoding): WAV needs RIFF/WAVE and a data chunk
/// start, FLAC its fLaC marker, Ogg an OggS page, MP3 an ID3 tag or frame sync, MP4 an ftyp box, PNG/JPEG their signatures. Returns the problem, or null when the header looks right.</summary>
public static class MediaFileCheck
{
    public static string? Problem(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return "file does not exist";
        if (info.Length == 0) return "file is empty";
        Span<byte> head = stackalloc byte[16];
        int n;
        try
        {
            using var f = File.OpenRead(path);
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (IOException e) { return $"cannot read ({e.Message})"; }
        catch (UnauthorizedAccessException e) { return $"cannot read ({e.Message})"; }
        head = head[..n];
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        switch (ext)
        {
            case ".wav":
                if (n < 12 || !head[..4].SequenceEqual("RIFF"u8) || !head[8..12].SequenceEqual("WAVE"u8))
                    return "not a WAV file (no RIFF/WAVE header)";
                if (info.Length < 44) return $"truncated WAV ({info.Length} bytes, a header alone needs 44)";
                return null;
            case ".flac":
                if (n < 4 || !head[..4].SequenceEqual("fLaC"u8)) return "not a FLAC file (no fLaC marker)";
                return null;
            case ".ogg" or ".opus":
                if (n < 4 || !head[..4].SequenceEqual("OggS"u8)) return "not an Ogg file (no OggS page)";
                return null;
            case ".mp3":
                // An ID3v2 tag, or an MPEG audio frame sync (11 set bits) at the start.
                if (n >= 3 && head[..3].SequenceEqual("ID3"u8)) return null;
                if (n >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0) return null;
                return "not an MP3 file (no ID3 tag or frame sync)";
            case ".mp4":
                if (n < 8 || !head[4..8].SequenceEqual("ftyp"u8)) return "not an MP4 file (no ftyp box)";
                return null;
            case ".png":
                if (n < 8 || !head[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
                    return "not a PNG file (bad signature)";
                return null;
            case ".jpg" or ".jpeg":
                if (n < 3 || head[0] != 0xFF || head[1] != 0xD8 || head[2] != 0xFF) return "not a JPEG file (bad signature)";
                return null;
            default:
                return null;
        }
    }
}
