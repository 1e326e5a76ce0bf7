using AverLab.Media.Images;
using AverLab.Media.Native;

namespace AverLab.Media.Faces;

/// <summary>OpenCV's Viola-Jones Haar cascade (cv2.CascadeClassifier.detectMultiScale). The default cascade is
/// haarcascade_frontalface_default.xml from Debian's opencv-data. One instance runs one detection at a time
/// (OpenCV's cascade keeps scratch state); calls from several threads are serialized by a lock, so use one
/// detector per thread for parallel work. A missing or corrupt cascade file throws
/// <see cref="MediaFormatException"/> naming it.</summary>
public sealed unsafe class HaarFaceDetector : IFaceDetector, IDisposable
{
    public const string DefaultCascadePath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    private readonly NativeObject _cascade;
    private readonly Lock _lock = new();

    public HaarFaceDetector(string cascadePath = DefaultCascadePath)
    {
        if (!File.Exists(cascadePath))
            throw new MediaFormatException(cascadePath, "Haar cascade not found (Debian package opencv-data; fix: sudo bash scripts/setup.sh)");
        var path = VisionNative.Utf8(cascadePath);
        IntPtr h;
        fixed (byte* p = path) h = VisionNative.avv_haar_load(p);
        if (h == IntPtr.Zero) throw new MediaFormatException(cascadePath, VisionNative.TakeError("cannot load the cascade"));
        _cascade = new NativeObject(h, VisionNative.avv_haar_free);
    }

    /// <summary>Image pyramid step (cv2's scaleFactor). Default 1.1.</summary>
    public double ScaleFactor { get; init; } = 1.1;

    /// <summary>Overlapping hits a face needs (cv2's minNeighbors). Default 5.</summary>
    public int MinNeighbors { get; init; } = 5;

    /// <summary>Smallest face side in pixels (cv2's minSize). Default 30.</summary>
    public int MinSize { get; init; } = 30;

    /// <summary>Largest face side in pixels, 0 for no limit.</summary>
    public int MaxSize { get; init; }

    public FaceDetectionResult Detect(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (ScaleFactor <= 1) throw new ArgumentOutOfRangeException(nameof(ScaleFactor), ScaleFactor, "scale factor must exceed 1");
        int* rects = null;
        int n;
        lock (_lock)
        {
            var h = _cascade.Acquire();
            try
            {
                fixed (byte* px = image.Pixels)
                    n = VisionNative.Check(VisionNative.avv_haar_detect(h, px, image.Width, image.Height, ScaleFactor, MinNeighbors, MinSize, MaxSize, &rects));
            }
            finally
            {
                _cascade.Release();
            }
        }
        try
        {
            var faces = new FaceBox[n];
            for (var i = 0; i < n; i++) faces[i] = new FaceBox(rects[4 * i], rects[4 * i + 1], rects[4 * i + 2], rects[4 * i + 3]);
            return n == 0 ? FaceDetectionResult.NoFace : new FaceDetectionResult(faces);
        }
        finally
        {
            VisionNative.avv_free_buffer(rects);
        }
    }

    /// <summary>Converts to gray (OpenCV's weights) and detects.</summary>
    public FaceDetectionResult Detect(RgbImage image) => Detect(image.ToGray());

    public void Dispose() => _cascade.Dispose();
}
