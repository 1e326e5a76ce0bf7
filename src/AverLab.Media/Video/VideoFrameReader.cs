using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using AverLab.Media.Images;

namespace AverLab.Media.Video;

/// <summary>Decodes video frames as RGB images through an ffmpeg rawvideo pipe (rgb24), one frame in memory at a
/// time unless the caller keeps them. Timestamps are seconds from the start of the video stream.</summary>
public static class VideoFrameReader
{
    /// <summary>Frames sampled at <paramref name="fps"/> frames per second (ffmpeg's fps filter: the frame shown at
    /// each instant k / fps), handed to <paramref name="onFrame"/> as they are decoded. <paramref name="width"/>
    /// optionally scales frames to that width, keeping the aspect ratio (even height). Returns the frame count.</summary>
    public static int ForEachAtFps(string path, double fps, Action<VideoFrame> onFrame, int? width = null)
    {
        if (!(fps > 0) || double.IsInfinity(fps)) throw new ArgumentOutOfRangeException(nameof(fps), fps, "fps must be positive");
        ArgumentNullException.ThrowIfNull(onFrame);
        var probe = ProbeVideo(path);
        var (w, h) = OutputSize(probe, width);
        var filter = "fps=" + fps.ToString("R", CultureInfo.InvariantCulture) + Scale(probe, w, h);
        var count = 0;
        Decode(path, filter, w, h, passthrough: false, img => onFrame(new VideoFrame(count, count++ / fps, img)));
        return count;
    }

    /// <summary>As <see cref="ForEachAtFps"/>, as a lazily decoded sequence (a small bounded queue between ffmpeg and
    /// the consumer). Stopping early (break, Take, Dispose) stops ffmpeg.</summary>
    public static IEnumerable<VideoFrame> ReadAtFps(string path, double fps, int? width = null)
    {
        using var queue = new BlockingCollection<VideoFrame>(boundedCapacity: 4);
        using var stop = new CancellationTokenSource();
        Exception? error = null;
        var producer = Task.Run(() =>
        {
            try { ForEachAtFps(path, fps, f => queue.Add(f, stop.Token), width); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception e) { error = e; }
            finally { queue.CompleteAdding(); }
        });
        try
        {
            foreach (var frame in queue.GetConsumingEnumerable()) yield return frame;
        }
        finally
        {
            stop.Cancel();
            producer.Wait();
        }
        if (error != null) ExceptionDispatchInfo.Throw(error);
    }

    /// <summary><paramref name="count"/> frames at evenly spaced indices over the whole video: frame
    /// floor(i * (n - 1) / (count - 1)) for i in 0..count-1, as np.linspace(0, n - 1, count).astype(int) in the
    /// seeds (n = the stream's frame count). Indices repeat when count exceeds n. Timestamps are index / fps.</summary>
    public static IReadOnlyList<VideoFrame> ReadEvenlySpaced(string path, int count, int? width = null)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        var probe = ProbeVideo(path);
        var frames = SelectEvenly(path, probe, probe.FrameCount, count, width);
        if (frames == null)
        {
            // The header's frame count was missing or wrong (estimated from the duration): count exactly, once.
            var exact = CountFrames(path);
            frames = SelectEvenly(path, probe, exact, count, width)
                ?? throw new MediaFormatException(path, $"ffmpeg decoded fewer frames than the {exact} it counted");
        }
        return frames;
    }

    /// <summary>Exact number of frames in the first video stream (decodes the whole stream: slow for long videos).</summary>
    public static long CountFrames(string path)
    {
        ProbeVideo(path);
        var text = System.Text.Encoding.UTF8.GetString(Ffmpeg.Run(Ffmpeg.FfprobePath,
            ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
             "-of", "default=nokey=1:noprint_wrappers=1", "--", path], path)).Trim();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new MediaFormatException(path, $"could not count video frames (ffprobe said '{text}')");
    }

    private static List<VideoFrame>? SelectEvenly(string path, VideoProbe probe, long total, int count, int? width)
    {
        if (total <= 0) return null;
        var indices = new long[count];
        for (var i = 0; i < count; i++) indices[i] = count == 1 ? 0 : (long)Math.Floor(i * (double)(total - 1) / (count - 1));
        var distinct = indices.Distinct().ToArray();
        var (w, h) = OutputSize(probe, width);
        var select = "select=" + string.Join("+", distinct.Select(n => $"eq(n\\,{n})")) + Scale(probe, w, h);
        var decoded = new List<RgbImage>(distinct.Length);
        Decode(path, select, w, h, passthrough: true, decoded.Add);
        if (decoded.Count < distinct.Length) return null;
        var byIndex = distinct.Zip(decoded).ToDictionary(p => p.First, p => p.Second);
        var fps = probe.Fps > 0 ? probe.Fps : total / probe.Duration;
        return indices.Select((n, i) => new VideoFrame(i, n / fps, byIndex[n])).ToList();
    }

    private static VideoProbe ProbeVideo(string path)
    {
        var probe = VideoProbe.Read(path);
        if (!probe.HasVideo || probe.Width <= 0 || probe.Height <= 0)
            throw new MediaFormatException(path, "no video stream");
        return probe;
    }

    private static (int Width, int Height) OutputSize(VideoProbe probe, int? width)
    {
        if (width is null) return (probe.Width, probe.Height);
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive");
        var h = Math.Max(2, 2 * (int)Math.Round(probe.Height * (double)width.Value / probe.Width / 2));
        return (width.Value, h);
    }

    private static string Scale(VideoProbe probe, int w, int h) =>
        w == probe.Width && h == probe.Height ? "" : $",scale={w}:{h}:flags=area";

    // Runs ffmpeg and cuts its rgb24 stream into w x h frames.
    private static void Decode(string path, string filter, int w, int h, bool passthrough, Action<RgbImage> onImage)
    {
        var args = new List<string> { "-v", "error", "-nostdin", "-i", path, "-map", "0:v:0", "-vf", filter };
        if (passthrough) args.AddRange(["-fps_mode", "passthrough"]);
        args.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
        var frameBytes = checked(w * h * RgbImage.Channels);
        Ffmpeg.Run(Ffmpeg.FfmpegPath, args, path, stdout =>
        {
            while (true)
            {
                var buffer = new byte[frameBytes];
                var got = stdout.ReadAtLeast(buffer, frameBytes, throwOnEndOfStream: false);
                if (got == 0) return;
                if (got < frameBytes)
                    throw new MediaFormatException(path, $"ffmpeg ended mid-frame ({got} of {frameBytes} bytes)");
                onImage(new RgbImage(w, h, buffer));
            }
        });
    }
}
