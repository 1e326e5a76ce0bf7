using AverLab.Media.Faces;

namespace AverLab.Media.Tests.Faces;

/// <summary>Detectors and the 68-point model, loaded once for all face tests (the model takes about a second).</summary>
public sealed class FaceModels : IDisposable
{
    public HaarFaceDetector Haar { get; } = new();
    public HogFaceDetector Hog { get; } = new();
    public FaceLandmarker Landmarker => FaceLandmarker.Shared;

    public static double IoU(FaceBox a, FaceBox b)
    {
        var w = Math.Min(a.Right, b.Right) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Y, b.Y);
        if (w <= 0 || h <= 0) return 0;
        var inter = (double)w * h;
        return inter / (a.Area + b.Area - inter);
    }

    public void Dispose()
    {
        Haar.Dispose();
        Hog.Dispose();
    }
}
