using AverLab.Media.Images;
using AverLab.Media.Native;

namespace AverLab.Media.Faces;

/// <summary>dlib's HOG + linear SVM frontal face detector (dlib.get_frontal_face_detector()). Calls on one
/// instance are serialized by a lock (dlib's detector keeps scratch state); create one per thread to run in
/// parallel. Boxes are dlib's rectangles as (x, y, width, height) with the detection score.</summary>
public sealed unsafe class HogFaceDetector : IFaceDetector, IDisposable
{
    private readonly NativeObject _detector;
    private readonly Lock _lock = new();

    public HogFaceDetector() => _detector = new NativeObject(VisionNative.Check(VisionNative.avv_hog_create()), VisionNative.avv_hog_free);

    /// <summary>Times the image is doubled before detection (dlib Python's detector(img, upsample)); 1 finds faces
    /// down to ~40 px at 4x the cost of 0, which only finds faces of ~80 px and more. Default 1.</summary>
    public int Upsample { get; init; } = 1;

    /// <summary>Added to the SVM threshold: negative finds more (and more false) faces. Default 0.</summary>
    public double AdjustThreshold { get; init; }

    public FaceDetectionResult Detect(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        double* boxes = null;
        int n;
        lock (_lock)
        {
            var h = _detector.Acquire();
            try
            {
                fixed (byte* px = image.Pixels)
                    n = VisionNative.Check(VisionNative.avv_hog_detect(h, px, image.Width, image.Height, Upsample, AdjustThreshold, &boxes));
            }
            finally
            {
                _detector.Release();
            }
        }
        try
        {
            var faces = new FaceBox[n];
            for (var i = 0; i < n; i++)
            {
                var d = boxes + 5 * i;
                faces[i] = new FaceBox((int)d[0], (int)d[1], (int)d[2], (int)d[3], d[4]);
            }
            return n == 0 ? FaceDetectionResult.NoFace : new FaceDetectionResult(faces);
        }
        finally
        {
            VisionNative.avv_free_buffer(boxes);
        }
    }

    /// <summary>Converts to gray (OpenCV's weights) and detects.</summary>
    public FaceDetectionResult Detect(RgbImage image) => Detect(image.ToGray());

    public void Dispose() => _detector.Dispose();
}
