using System.Runtime.InteropServices;
using AverLab.Media.Images;
using OpenCvSharp;

namespace AverLab.Media.Video;

/// <summary>One video file open in OpenCV's <c>VideoCapture</c> (OpenCvSharp4; the FFmpeg built into the official
/// runtime decodes), frames in presentation order. Frames are grabbed (decoded) one by one and converted to RGB only
/// when retrieved. Files it cannot open or read throw <see cref="MediaFormatException"/> naming the file; the reason
/// comes from ffprobe, on that failure path only (OpenCV says no more than "not opened").</summary>
internal sealed class VideoDecoder : IDisposable
{
    private readonly VideoCapture capture;
    private readonly Mat bgr = new();
    private readonly Mat scaled = new();

    private VideoDecoder(string path, VideoCapture capture)
    {
        Path = path;
        this.capture = capture;
        Fps = capture.Get(VideoCaptureProperties.Fps);
        FrameCount = Math.Max(0, (long)capture.Get(VideoCaptureProperties.FrameCount));
        Width = capture.FrameWidth;
        Height = capture.FrameHeight;
    }

    public string Path { get; }

    /// <summary>The stream's frame rate (FFmpeg's guess: r_frame_rate, else avg_frame_rate); 0 when unknown.</summary>
    public double Fps { get; }

    /// <summary>The container's frame count (nb_frames), else duration · fps rounded; 0 when unknown.</summary>
    public long FrameCount { get; }

    /// <summary>Frame size as displayed: OpenCV applies the stream's rotation metadata, as ffmpeg does.</summary>
    public int Width { get; }

    public int Height { get; }

    /// <summary>Frames grabbed so far.</summary>
    public long Decoded { get; private set; }

    /// <summary>The grabbed frame's presentation time in seconds from the start of the video stream.</summary>
    public double Timestamp { get; private set; }

    /// <summary>Opens <paramref name="path"/>; a missing file, an unreadable container or one without a video stream
    /// throws <see cref="MediaFormatException"/> naming the file and the reason.</summary>
    public static VideoDecoder Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new MediaFormatException(path, "file not found");
        Quiet();
        VideoCapture? capture = null;
        try
        {
            capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
            if (!capture.IsOpened()) throw Diagnose(path, "OpenCV's FFmpeg could not open a video stream in it");
            if (capture.FrameWidth <= 0 || capture.FrameHeight <= 0) throw new MediaFormatException(path, "the video stream has no frame size");
            var decoder = new VideoDecoder(path, capture);
            capture = null;
            return decoder;
        }
        catch (OpenCVException e)
        {
            throw new MediaFormatException(path, $"OpenCV could not open the video ({e.ErrMsg})", e);
        }
        finally
        {
            capture?.Dispose();
        }
    }

    /// <summary>Decodes the next frame; false at the end of the stream (or where the decoder gave up on a
    /// corrupt packet: <see cref="CheckComplete"/> tells the two apart).</summary>
    public bool Grab()
    {
        bool ok;
        try
        {
            ok = capture.Grab();
        }
        catch (OpenCVException e)
        {
            throw new MediaFormatException(Path, $"OpenCV could not decode frame {Decoded} ({e.ErrMsg})", e);
        }
        if (!ok) return false;
        Timestamp = capture.Get(VideoCaptureProperties.PosMsec) / 1000.0; // not the PosMsec property: it truncates to whole ms
        Decoded++;
        return true;
    }

    /// <summary>The grabbed frame as RGB, scaled (pixel-area averaging, cv2.INTER_AREA) to
    /// <paramref name="width"/> x <paramref name="height"/> when given.</summary>
    public RgbImage Retrieve(int? width = null, int? height = null)
    {
        try
        {
            if (!capture.Retrieve(bgr) || bgr.Empty())
                throw new MediaFormatException(Path, $"frame {Decoded - 1} could not be converted");
            if (bgr.Type() != MatType.CV_8UC3)
                throw new MediaFormatException(Path, $"frame {Decoded - 1} decoded as {bgr.Type()}, expected 8-bit BGR");
            var source = bgr;
            if (width is { } w && height is { } h && (w != bgr.Width || h != bgr.Height))
            {
                Cv2.Resize(bgr, scaled, new Size(w, h), 0, 0, InterpolationFlags.Area);
                source = scaled;
            }
            return ToRgb(source);
        }
        catch (OpenCVException e)
        {
            throw new MediaFormatException(Path, $"OpenCV could not convert frame {Decoded - 1} ({e.ErrMsg})", e);
        }
    }

    /// <summary>After the last <see cref="Grab"/>: throws when the decoder stopped short of the frames the container
    /// holds (a corrupt packet, where OpenCV stops) or the container lists more frames than the file holds
    /// (truncated). A stream with no decodable frame at all always throws.</summary>
    public void CheckComplete()
    {
        if (Decoded == 0) throw Diagnose(Path, "no video frame could be decoded");
        if (Decoded >= FrameCount) return;
        // Fewer than the header's count, which may itself be an estimate (duration · fps): ask the demuxer.
        var (listed, packets) = CountVideoPackets(Path);
        if (listed > 0 && packets < listed)
            throw new MediaFormatException(Path, $"truncated: the container lists {listed} video frames, the file holds {packets}");
        // Decoders may hold back a frame or two of a stream whose edit list trims its start or end.
        if (Decoded < packets - 2)
            throw new MediaFormatException(Path, $"corrupt: decoding stopped after {Decoded} of {packets} video frames");
    }

    public void Dispose()
    {
        scaled.Dispose();
        bgr.Dispose();
        capture.Dispose();
    }

    private static unsafe RgbImage ToRgb(Mat bgrFrame)
    {
        var (w, h) = (bgrFrame.Width, bgrFrame.Height);
        var pixels = new byte[checked(w * h * RgbImage.Channels)];
        fixed (byte* p = pixels)
        {
            using var rgb = Cv.View(p, w, h, RgbImage.Channels);
            Cv2.CvtColor(bgrFrame, rgb, ColorConversionCodes.BGR2RGB);
            if (rgb.Data != (IntPtr)p) throw new InvalidOperationException("OpenCV cvtColor reallocated its output");
        }
        return new RgbImage(w, h, pixels);
    }

    // OpenCV says only that a file did not open; ffprobe says why (no video stream, not a media file, moov atom
    // missing, ...). VideoProbe.Read throws its own MediaFormatException for files it cannot parse.
    private static MediaFormatException Diagnose(string path, string fallback)
    {
        var probe = VideoProbe.Read(path);
        if (!probe.HasVideo) return new MediaFormatException(path, "no video stream");
        var codec = probe.Streams.First(s => s.CodecType == "video").CodecName;
        return new MediaFormatException(path, $"{fallback} (video codec {codec})");
    }

    // The first video stream's nb_frames (0 when the container does not say) and the packets the demuxer reads
    // (ffprobe -count_packets: demuxing only, no decoding).
    private static (long Listed, long Packets) CountVideoPackets(string path)
    {
        var text = System.Text.Encoding.UTF8.GetString(Ffmpeg.Run(Ffmpeg.FfprobePath,
            ["-v", "error", "-count_packets", "-select_streams", "v:0", "-show_entries", "stream=nb_frames,nb_read_packets",
             "-of", "default=noprint_wrappers=1", "--", path], path));
        long listed = 0, packets = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = line.Split('=', 2);
            if (kv.Length != 2 || !long.TryParse(kv[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)) continue;
            if (kv[0] == "nb_frames") listed = n;
            else if (kv[0] == "nb_read_packets") packets = n;
        }
        return (listed, packets);
    }

    private static int quiet;

    // FFmpeg inside OpenCV logs decode errors to stderr and OpenCV warns on every file it cannot open; errors here
    // reach the caller as exceptions naming the file, so both are silenced once (unless the user set them).
    private static void Quiet()
    {
        if (Interlocked.Exchange(ref quiet, 1) == 1) return;
        if (Environment.GetEnvironmentVariable("OPENCV_FFMPEG_LOGLEVEL") == null && OperatingSystem.IsLinux())
            _ = setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0); // AV_LOG_QUIET; read by OpenCV at every open
        if (Environment.GetEnvironmentVariable("OPENCV_LOG_LEVEL") == null && Cv2.GetLogLevel() == LogLevel.WARNING)
            Cv2.SetLogLevel(LogLevel.ERROR);
    }

    [DllImport("libc", EntryPoint = "setenv")]
#pragma warning disable SYSLIB1054 // one call per process; LibraryImport's generated marshalling buys nothing here
    private static extern int setenv(string name, string value, int overwrite);
#pragma warning restore SYSLIB1054
}
