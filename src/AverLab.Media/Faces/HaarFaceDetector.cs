using AverLab.Media.Images;
using AverLab.Media.Native;
using OpenCvSharp;

namespace AverLab.Media.Faces;

/// <summary>OpenCV's Viola-Jones Haar cascade (cv2.CascadeClassifier.detectMultiScale, through OpenCvSharp4). The default cascade is
/// haarcascade_frontalface_default.xml from Debian's opencv-data. One instance runs one detection at a time
/// (OpenCV's cascade keeps scratch state); calls from several threads are serialized by a lock, so use one
/// detector per thread for parallel work. A missing or corrupt cascade file throws
/// <see cref="MediaFormatException"/> naming it.</summary>
public sealed unsafe class HaarFaceDetector : IFaceDetector, IDisposable
{
    public const string DefaultCascadePath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    private readonly CascadeClassifier _cascade;
    private readonly Lock _lock = new();

    public HaarFaceDetector(string cascadePath = DefaultCascadePath)
    {
        if (!File.Exists(cascadePath))
            throw new MediaFormatException(cascadePath, "Haar cascade not found (Debian package opencv-data; fix: sudo bash scripts/setup.sh)");
        _cascade = new CascadeClassifier();
        bool loaded;
        try
        {
            loaded = _cascade.Load(cascadePath) && !_cascade.Empty();
        }
        catch (OpenCVException e)
        {
            _cascade.Dispose();
            throw new MediaFormatException(cascadePath, "cannot load the Haar cascade (OpenCV: " + e.ErrMsg + ")", e);
        }
        if (!loaded)
        {
            _cascade.Dispose();
            throw new MediaFormatException(cascadePath, "cannot load the Haar cascade (not an OpenCV cascade XML, or corrupt)");
        }
    }

    /// <summary>Image pyramid step (cv2's scaleFactor). Default 1.1.</summary>
    public double ScaleFactor { get; init; } = 1.1;

    /// <summary>Overlapping hits a face needs (cv2's minNeighbors). Default 5.</summary>
    public int MinNeighbors { get; init; } = 5;

    /// <summary>Smallest face side in pixels (cv2's minSize). Default 30.</summary>
    public int MinSize { get; init; } = 30;

    /// <summary>Largest face side in pixels, 0 for no limit.</summary>
    public int MaxSize { get; init; }

    /// <summary>Longest side searched at full resolution; a larger image is searched on a copy scaled down to it (boxes
    /// mapped back). OpenCV 4.13's detectMultiScale writes out of bounds on extreme images: the Predict fuzz test's
    /// corrupt JPEGs decoding to 58734 x 112 and 29561 x 112 crashed the process (a write fault in the integral image,
    /// in IPP's kernel and, with IPP off, in memset), as did random images up to 70000 x 200 in a loop.</summary>
    public const int MaxSide = 4096;

    public FaceDetectionResult Detect(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (ScaleFactor <= 1) throw new ArgumentOutOfRangeException(nameof(ScaleFactor), ScaleFactor, "scale factor must exceed 1");
        var longest = Math.Max(image.Width, image.Height);
        if (longest > MaxSide)
        {
            var scale = (double)MaxSide / longest;
            var (w, h) = (Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale)));
            if (Math.Min(w, h) < MinSize) return FaceDetectionResult.NoFace; // no face of MinSize fits the searched copy
            var small = Detect(image.Resize(w, h));
            if (small.Faces.Count == 0) return small;
            return new FaceDetectionResult(small.Faces.Select(b => new FaceBox((int)Math.Round(b.X / scale), (int)Math.Round(b.Y / scale),
                (int)Math.Round(b.Width / scale), (int)Math.Round(b.Height / scale))).ToArray());
        }
        if (Math.Min(image.Width, image.Height) < MinSize) return FaceDetectionResult.NoFace;
        Rect[] found = [];
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_cascade.IsDisposed, this);
            fixed (byte* px = image.Pixels)
            {
                using var m = Cv.View(px, image.Width, image.Height, 1);
                Cv.Run("detectMultiScale", () => found = _cascade.DetectMultiScale(m, ScaleFactor, MinNeighbors, 0,
                    new Size(MinSize, MinSize), MaxSize > 0 ? new Size(MaxSize, MaxSize) : new Size()));
            }
        }
        if (found.Length == 0) return FaceDetectionResult.NoFace;
        return new FaceDetectionResult(found.Select(r => new FaceBox(r.X, r.Y, r.Width, r.Height)).ToArray());
    }

    /// <summary>Converts to gray (OpenCV's weights) and detects.</summary>
    public FaceDetectionResult Detect(RgbImage image) => Detect(image.ToGray());

    public void Dispose()
    {
        lock (_lock) _cascade.Dispose();
    }
}
