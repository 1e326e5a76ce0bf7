using AverLab.Media.Images;
using AverLab.Media.Native;
using OpenCvSharp;

namespace AverLab.Media.Video;

/// <summary>One video file open in the system's FFmpeg (native/vision over Debian's libavformat and libavcodec, which
/// decode with their SIMD; OpenCvSharp4's bundled FFmpeg has none), read as OpenCV's <c>VideoCapture</c> reads it:
/// the first video stream, frames in presentation order, the stream's rotation applied. Frames are grabbed
/// (decoded) one by one and converted to RGB only when retrieved. Files it cannot open or read throw
/// <see cref="MediaFormatException"/> naming the file; the reason comes from FFmpeg, or from ffprobe where FFmpeg
/// says no more than that the file did not open.</summary>
internal sealed unsafe class VideoDecoder : IDisposable
{
    private IntPtr handle;
    private readonly int codedWidth, codedHeight, rotation;
    private byte[]? coded;

    private VideoDecoder(string path, IntPtr handle, in VisionNative.VideoInfo info)
    {
        Path = path;
        this.handle = handle;
        (codedWidth, codedHeight, rotation) = (info.Width, info.Height, info.Rotation);
        Fps = info.Fps;
        FrameCount = Math.Max(0, info.FrameCount);
        (Width, Height) = rotation is 90 or 270 ? (codedHeight, codedWidth) : (codedWidth, codedHeight);
    }

    public string Path { get; }

    /// <summary>The stream's frame rate (FFmpeg's guess: r_frame_rate, else avg_frame_rate); 0 when unknown.</summary>
    public double Fps { get; }

    /// <summary>The container's frame count (nb_frames), else duration · fps rounded; 0 when unknown.</summary>
    public long FrameCount { get; }

    /// <summary>Frame size as displayed: the stream's rotation metadata applied, as ffmpeg and OpenCV do.</summary>
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
        // "file:" keeps a name such as "concat:a|b" or "http:x" a local file, not one of FFmpeg's protocols.
        var utf8 = System.Text.Encoding.UTF8.GetBytes("file:" + System.IO.Path.GetFullPath(path) + "\0");
        VisionNative.VideoInfo info;
        int status;
        IntPtr h;
        fixed (byte* p = utf8) h = VisionNative.avv_video_open(p, Math.Clamp(Environment.ProcessorCount, 1, 16), &info, &status);
        if (h == IntPtr.Zero)
        {
            var reason = VisionNative.TakeError("FFmpeg could not open it");
            throw status switch
            {
                -2 => new MediaFormatException(path, "no video stream"),
                -3 => new MediaFormatException(path, reason),
                _ => Diagnose(path, reason),
            };
        }
        var decoder = new VideoDecoder(path, h, info);
        if (info.Width <= 0 || info.Height <= 0)
        {
            decoder.Dispose();
            throw new MediaFormatException(path, "the video stream has no frame size");
        }
        if ((long)info.Width * info.Height > ImageCodec.MaxPixels)
        {
            decoder.Dispose();
            throw new MediaFormatException(path, $"the video stream claims frames of {info.Width} x {info.Height} pixels, larger than {ImageCodec.MaxPixels:N0} (corrupt header?)");
        }
        return decoder;
    }

    /// <summary>Decodes the next frame; false at the end of the stream (or where the decoder gave up on a
    /// corrupt packet: <see cref="CheckComplete"/> tells the two apart).</summary>
    public bool Grab()
    {
        ObjectDisposedException.ThrowIf(handle == IntPtr.Zero, this);
        double seconds;
        var rc = VisionNative.avv_video_grab(handle, &seconds);
        if (rc < 0) throw new MediaFormatException(Path, $"FFmpeg could not decode frame {Decoded} ({VisionNative.TakeError()})");
        if (rc == 0) return false;
        Timestamp = seconds;
        Decoded++;
        return true;
    }

    /// <summary>The grabbed frame as RGB, scaled (pixel-area averaging, cv2.INTER_AREA) to
    /// <paramref name="width"/> x <paramref name="height"/> when given.</summary>
    public RgbImage Retrieve(int? width = null, int? height = null)
    {
        ObjectDisposedException.ThrowIf(handle == IntPtr.Zero, this);
        var (w, h) = (width ?? Width, height ?? Height);
        var asDecoded = rotation == 0 && w == codedWidth && h == codedHeight;
        // Converted straight into the image's own pixels when nothing else is to be done, else into a scratch frame.
        var rgb = asDecoded ? new byte[checked(w * h * RgbImage.Channels)]
            : coded ??= new byte[checked(codedWidth * codedHeight * RgbImage.Channels)];
        fixed (byte* p = rgb)
            if (VisionNative.avv_video_retrieve_rgb(handle, p, codedWidth, codedHeight) < 0)
                throw new MediaFormatException(Path, $"frame {Decoded - 1} could not be converted ({VisionNative.TakeError()})");
        if (asDecoded) return new RgbImage(w, h, rgb);
        try
        {
            fixed (byte* p = rgb)
            {
                using var source = Cv.View(p, codedWidth, codedHeight, RgbImage.Channels);
                using var rotated = new Mat();
                var upright = source;
                if (rotation != 0)
                {
                    Cv2.Rotate(source, rotated, rotation switch
                    {
                        90 => RotateFlags.Rotate90Clockwise,
                        180 => RotateFlags.Rotate180,
                        _ => RotateFlags.Rotate90Counterclockwise,
                    });
                    upright = rotated;
                }
                var pixels = new byte[checked(w * h * RgbImage.Channels)];
                fixed (byte* q = pixels)
                {
                    using var target = Cv.View(q, w, h, RgbImage.Channels);
                    if (w == upright.Width && h == upright.Height) upright.CopyTo(target);
                    else Cv2.Resize(upright, target, new Size(w, h), 0, 0, InterpolationFlags.Area);
                    if (target.Data != (IntPtr)q) throw new InvalidOperationException("OpenCV reallocated its output");
                }
                return new RgbImage(w, h, pixels);
            }
        }
        catch (OpenCVException e)
        {
            throw new MediaFormatException(Path, $"OpenCV could not scale frame {Decoded - 1} ({e.ErrMsg})", e);
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
        Close();
        GC.SuppressFinalize(this);
    }

    // A lazily read sequence that is dropped without being disposed still closes its file.
    ~VideoDecoder() => Close();

    private void Close()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) VisionNative.avv_video_close(h);
    }

    // FFmpeg's open error is terse ("Invalid data found when processing input"); ffprobe's demuxer report says more
    // (no video stream, not a media file, moov atom missing, ...). VideoProbe.Read throws its own
    // MediaFormatException for files it cannot parse.
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
}
