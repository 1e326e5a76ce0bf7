namespace AverLab.Web;

public enum MediaKind { Audio, Image, Video }

/// <summary>A media type recognised from a file's first bytes: its kind and the extension the server stores it under
/// (the analyzer reads files by extension, so the stored name carries the sniffed one, never the client's).</summary>
public sealed record MediaType(MediaKind Kind, string Extension, string ContentType);

/// <summary>Decides an upload's type by its content (magic numbers), not by its name: WAV, FLAC, Ogg, MP3, AAC/M4A,
/// PNG, JPEG, BMP, MP4/MOV, Matroska/WebM, AVI, FLV. Anything else is null (the server answers 415).</summary>
public static class MediaSniffer
{
    public const int HeaderLength = 16;

    public static MediaType? Sniff(ReadOnlySpan<byte> h)
    {
        static bool At(ReadOnlySpan<byte> h, int offset, string ascii)
        {
            if (h.Length < offset + ascii.Length) return false;
            for (var i = 0; i < ascii.Length; i++) if (h[offset + i] != ascii[i]) return false;
            return true;
        }
        if (At(h, 0, "RIFF") && At(h, 8, "WAVE")) return new(MediaKind.Audio, ".wav", "audio/wav");
        if (At(h, 0, "RIFF") && At(h, 8, "AVI ")) return new(MediaKind.Video, ".avi", "video/x-msvideo");
        if (At(h, 0, "fLaC")) return new(MediaKind.Audio, ".flac", "audio/flac");
        if (At(h, 0, "OggS")) return new(MediaKind.Audio, ".ogg", "audio/ogg");
        if (At(h, 0, "ID3")) return new(MediaKind.Audio, ".mp3", "audio/mpeg");
        if (h.Length >= 2 && h[0] == 0xFF && (h[1] & 0xF6) == 0xF0) return new(MediaKind.Audio, ".aac", "audio/aac"); // ADTS
        if (h.Length >= 2 && h[0] == 0xFF && (h[1] & 0xE0) == 0xE0 && (h[1] & 0x06) != 0) return new(MediaKind.Audio, ".mp3", "audio/mpeg"); // MPEG frame sync
        if (h.Length >= 8 && h[0] == 0x89 && At(h, 1, "PNG\r\n")) return new(MediaKind.Image, ".png", "image/png");
        if (h.Length >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) return new(MediaKind.Image, ".jpg", "image/jpeg");
        if (At(h, 0, "BM") && h.Length >= 14) return new(MediaKind.Image, ".bmp", "image/bmp");
        if (At(h, 4, "ftyp"))
        {
            if (At(h, 8, "M4A ") || At(h, 8, "M4B ")) return new(MediaKind.Audio, ".m4a", "audio/mp4");
            if (At(h, 8, "qt  ")) return new(MediaKind.Video, ".mov", "video/quicktime");
            return new(MediaKind.Video, ".mp4", "video/mp4");
        }
        if (h.Length >= 4 && h[0] == 0x1A && h[1] == 0x45 && h[2] == 0xDF && h[3] == 0xA3) return new(MediaKind.Video, ".mkv", "video/x-matroska");
        if (At(h, 0, "FLV")) return new(MediaKind.Video, ".flv", "video/x-flv");
        return null;
    }

    /// <summary>The content type of a stored upload, from the extension the sniffer gave it.</summary>
    public static string ContentTypeOf(string extension) => extension switch
    {
        ".wav" => "audio/wav", ".flac" => "audio/flac", ".ogg" => "audio/ogg", ".mp3" => "audio/mpeg", ".aac" => "audio/aac", ".m4a" => "audio/mp4",
        ".png" => "image/png", ".jpg" => "image/jpeg", ".bmp" => "image/bmp",
        ".mp4" => "video/mp4", ".mov" => "video/quicktime", ".mkv" => "video/x-matroska", ".avi" => "video/x-msvideo", ".flv" => "video/x-flv",
        _ => "application/octet-stream",
    };
}
