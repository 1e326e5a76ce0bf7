using AverLab.Media.Images;

namespace AverLab.Media.Video;

/// <summary>Decodes video frames as RGB images through the system's FFmpeg (<see cref="VideoDecoder"/>, which reads
/// as OpenCV's <c>VideoCapture</c> reads), one frame in memory at a time unless the caller keeps them. Timestamps are
/// seconds from the start of the video stream. Unreadable, corrupt or truncated files and files without a video
/// stream throw <see cref="MediaFormatException"/> naming the file.</summary>
public static class VideoFrameReader
{
    /// <summary>Frames sampled at <paramref name="fps"/> frames per second, as ffmpeg's fps filter samples them
    /// (<see cref="FpsSampler"/>: output k, at k / fps, is the last frame whose time rounds to at most k / fps), handed
    /// to <paramref name="onFrame"/> as they are decoded. <paramref name="width"/> optionally scales frames to that
    /// width, keeping the aspect ratio (even height; pixel-area averaging). Returns the frame count.</summary>
    public static int ForEachAtFps(string path, double fps, Action<VideoFrame> onFrame, int? width = null)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        var count = 0;
        foreach (var frame in ReadAtFps(path, fps, width))
        {
            onFrame(frame);
            count++;
        }
        return count;
    }

    /// <summary>As <see cref="ForEachAtFps"/>, as a lazily decoded sequence: stopping early (break, Take, Dispose)
    /// closes the file.</summary>
    public static IEnumerable<VideoFrame> ReadAtFps(string path, double fps, int? width = null)
    {
        if (!(fps > 0) || double.IsInfinity(fps)) throw new ArgumentOutOfRangeException(nameof(fps), fps, "fps must be positive");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive");
        return SampleAtFps(path, fps, width);
    }

    /// <summary><paramref name="count"/> frames at evenly spaced indices over the whole video: frame
    /// floor(i * (n - 1) / (count - 1)) for i in 0..count-1, as np.linspace(0, n - 1, count).astype(int) in the
    /// seeds (n = the stream's exact frame count: the container's, checked against the frames decoded). Indices
    /// repeat when count exceeds n. Timestamps are the frames' presentation times (index / fps at a constant frame
    /// rate; the ffmpeg-pipe reader this replaced used index / average fps for variable-rate videos too).</summary>
    public static IReadOnlyList<VideoFrame> ReadEvenlySpaced(string path, int count, int? width = null)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive");
        long exact;
        using (var decoder = VideoDecoder.Open(path))
        {
            var frames = SelectEvenly(decoder, Math.Max(1, decoder.FrameCount), count, width);
            exact = decoder.Decoded;
            if (exact == decoder.FrameCount) return frames;
        }
        // The container's frame count was missing or wrong (estimated from the duration): select again by the
        // count the first pass decoded.
        using var again = VideoDecoder.Open(path);
        return SelectEvenly(again, exact, count, width);
    }

    /// <summary>Exact number of frames in the first video stream (decodes the whole stream: slow for long videos).</summary>
    public static long CountFrames(string path)
    {
        using var decoder = VideoDecoder.Open(path);
        while (decoder.Grab()) { }
        decoder.CheckComplete();
        return decoder.Decoded;
    }

    private static IEnumerable<VideoFrame> SampleAtFps(string path, double fps, int? width)
    {
        var decoder = VideoDecoder.Open(path);
        try
        {
            var (w, h) = OutputSize(decoder, width);
            var sampler = new FpsSampler(fps);
            var interval = decoder.Fps > 0 ? 1 / decoder.Fps : 0.0;
            RgbImage? held = null;
            long heldIndex = -1;
            var heldTime = 0.0;
            var convertAll = false;
            var count = 0;
            while (decoder.Grab())
            {
                var t = decoder.Timestamp;
                var repeats = sampler.Push(t);
                if (heldIndex >= 0 && t > heldTime) interval = t - heldTime; // the last gap predicts the next
                if (repeats > 0 && held == null)
                {
                    // The held frame was not converted (its successor came later than predicted: a variable frame
                    // rate): fetch it again from the start, and convert every frame from here on.
                    held = Refetch(path, heldIndex, heldTime, w, h);
                    convertAll = true;
                }
                for (var r = 0; r < repeats; r++)
                    yield return new VideoFrame(count, count++ / fps, r == 0 ? held! : held!.Clone());
                heldIndex = decoder.Decoded - 1;
                heldTime = t;
                // Convert the new frame only when it may be output: when its successor, expected one frame interval
                // later (with half an interval to spare), would push the sampler past it. Skipped frames are only
                // decoded, as cv2's grab() without retrieve().
                held = convertAll || interval <= 0 || sampler.WouldOutput(t + 1.5 * interval) ? decoder.Retrieve(w, h) : null;
            }
            decoder.CheckComplete();
            // The stream ends one frame duration after the last frame, as ffmpeg's end-of-stream timestamp.
            var end = sampler.Finish(heldTime + interval);
            if (end > 0 && held == null) held = Refetch(path, heldIndex, heldTime, w, h);
            for (var r = 0; r < end; r++)
                yield return new VideoFrame(count, count++ / fps, r == 0 ? held! : held!.Clone());
        }
        finally
        {
            decoder.Dispose();
        }
    }

    private static RgbImage Refetch(string path, long index, double time, int w, int h)
    {
        using var decoder = VideoDecoder.Open(path);
        while (decoder.Decoded <= index)
            if (!decoder.Grab()) throw new MediaFormatException(path, $"frame {index} could not be decoded a second time");
        if (Math.Abs(decoder.Timestamp - time) > 1e-6)
            throw new MediaFormatException(path, $"frame {index} decoded at {decoder.Timestamp} s on a second pass, {time} s on the first");
        return decoder.Retrieve(w, h);
    }

    // Decodes the whole stream (so the caller learns the exact count), converting only the selected indices.
    private static List<VideoFrame> SelectEvenly(VideoDecoder decoder, long total, int count, int? width)
    {
        var indices = new long[count];
        for (var i = 0; i < count; i++) indices[i] = count == 1 ? 0 : (long)Math.Floor(i * (double)(total - 1) / (count - 1));
        var wanted = indices.ToHashSet();
        var (w, h) = OutputSize(decoder, width);
        var byIndex = new Dictionary<long, RgbImage>();
        var times = new Dictionary<long, double>();
        while (decoder.Grab())
        {
            var n = decoder.Decoded - 1;
            if (!wanted.Contains(n)) continue;
            byIndex[n] = decoder.Retrieve(w, h);
            times[n] = decoder.Timestamp;
        }
        decoder.CheckComplete();
        if (byIndex.Count < wanted.Count) return [];
        return indices.Select((n, i) => new VideoFrame(i, times[n], byIndex[n])).ToList();
    }

    private static (int Width, int Height) OutputSize(VideoDecoder decoder, int? width)
    {
        if (width is null) return (decoder.Width, decoder.Height);
        var h = Math.Max(2, 2 * (int)Math.Round(decoder.Height * (double)width.Value / decoder.Width / 2));
        return (width.Value, h);
    }
}
