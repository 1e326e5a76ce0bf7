using System.Globalization;
using System.Text.Json;

namespace AverLab.Media.Video;

/// <summary>What ffprobe says about a media file: duration, first video stream's size and frame rate, all
/// streams, whether there is audio. Read with <see cref="Read"/>.</summary>
public sealed record VideoProbe(
    string Path,
    string FormatName,
    double Duration,
    double Fps,
    int Width,
    int Height,
    long FrameCount,
    IReadOnlyList<MediaStreamInfo> Streams)
{
    // Width and Height are as displayed: ffmpeg auto-rotates phone videos whose metadata says 90/270 degrees,
    // so the frames it decodes have the stream's width and height swapped.

    public bool HasVideo => Streams.Any(s => s.CodecType == "video");
    public bool HasAudio => Streams.Any(s => s.CodecType == "audio");
    public MediaStreamInfo? Audio => Streams.FirstOrDefault(s => s.CodecType == "audio");

    /// <summary>Probes a file. Missing files, files ffprobe cannot parse and files without any stream throw
    /// <see cref="MediaFormatException"/> naming the file.</summary>
    public static VideoProbe Read(string path)
    {
        if (!File.Exists(path)) throw new MediaFormatException(path, "file not found");
        var json = Ffmpeg.Run(Ffmpeg.FfprobePath,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", path], path);
        try
        {
            return Parse(path, json);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MediaFormatException(path, $"ffprobe output could not be read ({e.Message})", e);
        }
    }

    private static VideoProbe Parse(string path, byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var streams = new List<MediaStreamInfo>();
        if (root.TryGetProperty("streams", out var ss))
            foreach (var s in ss.EnumerateArray())
            {
                var rate = Rate(Str(s, "avg_frame_rate"));
                if (rate <= 0) rate = Rate(Str(s, "r_frame_rate"));
                streams.Add(new MediaStreamInfo(
                    Index: s.TryGetProperty("index", out var i) ? i.GetInt32() : streams.Count,
                    CodecType: Str(s, "codec_type") ?? "unknown",
                    CodecName: Str(s, "codec_name") ?? "unknown",
                    Duration: Num(Str(s, "duration")),
                    Width: s.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
                    Height: s.TryGetProperty("height", out var h) ? h.GetInt32() : 0,
                    FrameRate: rate,
                    FrameCount: long.TryParse(Str(s, "nb_frames"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0,
                    SampleRate: int.TryParse(Str(s, "sample_rate"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sr) ? sr : 0,
                    Channels: s.TryGetProperty("channels", out var c) ? c.GetInt32() : 0));
            }
        if (streams.Count == 0) throw new MediaFormatException(path, "no audio or video stream (not a media file?)");
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatName = format.ValueKind == JsonValueKind.Object ? Str(format, "format_name") ?? "" : "";
        var duration = format.ValueKind == JsonValueKind.Object ? Num(Str(format, "duration")) : double.NaN;
        var video = streams.FirstOrDefault(s => s.CodecType == "video");
        if (double.IsNaN(duration)) duration = streams.Select(s => s.Duration).Where(d => !double.IsNaN(d)).DefaultIfEmpty(double.NaN).Max();
        if (video != null && ss.ValueKind == JsonValueKind.Array && Math.Abs(Rotation(ss.EnumerateArray().First(s => Str(s, "codec_type") == "video"))) % 180 == 90)
            video = video with { Width = video.Height, Height = video.Width };
        var frameCount = video == null ? 0
            : video.FrameCount > 0 ? video.FrameCount
            : video.FrameRate > 0 && !double.IsNaN(duration) ? (long)Math.Round(duration * video.FrameRate) : 0;
        return new VideoProbe(path, formatName, duration, video?.FrameRate ?? 0, video?.Width ?? 0, video?.Height ?? 0, frameCount, streams);
    }

    // Degrees from the display matrix side data (ffmpeg >= 5) or the legacy "rotate" tag.
    private static int Rotation(JsonElement stream)
    {
        if (stream.TryGetProperty("side_data_list", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var sd in list.EnumerateArray())
                if (sd.TryGetProperty("rotation", out var r) && r.TryGetInt32(out var deg)) return deg;
        if (stream.TryGetProperty("tags", out var tags) && int.TryParse(Str(tags, "rotate"), out var tag)) return tag;
        return 0;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;

    private static double Num(string? s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;

    // ffprobe writes rates as "num/den" ("30000/1001"); "0/0" means unknown.
    private static double Rate(string? s)
    {
        if (string.IsNullOrEmpty(s)) return 0;
        var parts = s.Split('/');
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d != 0)
            return n / d;
        return Num(s) is var v && !double.IsNaN(v) ? v : 0;
    }
}
