using AverLab.Media.Faces;
using AverLab.Media.Images;

namespace AverLab.FrontEnds;

/// <summary>The face front end shared by training and inference, so a face model sees the same crops in both:
/// largest Haar face → square crop with a 20 % margin (padded at the border) → image_size², scaled to [0, 1],
/// [1, S, S] gray (features.grayscale) or [3, S, S] RGB.</summary>
public static class FaceCrops
{
    public const double Margin = 0.2;

    public static int Channels(FeatureConfig f) => f.Grayscale || f.Kind == FeatureKind.Pixels ? 1 : 3;

    /// <summary>The crop of one face box as model input values, channel-first.</summary>
    public static float[] Crop(RgbImage frame, GrayImage gray, FaceBox box, FeatureConfig f) =>
        Channels(f) == 1
            ? SquareCrop.Around(gray, box, f.ImageSize, Margin, CropBorder.Pad).ToFloats()
            : ToChannelFirst(SquareCrop.Around(frame, box, f.ImageSize, Margin, CropBorder.Pad));

    /// <summary>The centre square of a frame, for features.no_face: center.</summary>
    public static float[] Centre(RgbImage frame, GrayImage gray, FeatureConfig f)
    {
        var side = Math.Min(frame.Width, frame.Height);
        var box = new FaceBox((frame.Width - side) / 2, (frame.Height - side) / 2, side, side);
        return Channels(f) == 1
            ? SquareCrop.Around(gray, box, f.ImageSize, 0, CropBorder.Pad).ToFloats()
            : ToChannelFirst(SquareCrop.Around(frame, box, f.ImageSize, 0, CropBorder.Pad));
    }

    private static float[] ToChannelFirst(RgbImage image)
    {
        var n = image.Width * image.Height;
        var data = new float[3 * n];
        var px = image.Pixels;
        for (var p = 0; p < n; p++)
            for (var c = 0; c < 3; c++) data[c * n + p] = px[3 * p + c] / 255f;
        return data;
    }
}

/// <summary>One Haar detector per thread (the feature cache extracts from several threads; a cascade is not
/// thread-safe), disposed together.</summary>
public sealed class PerThreadFaceDetector : IDisposable
{
    private readonly ThreadLocal<HaarFaceDetector> detectors = new(() => new HaarFaceDetector(), trackAllValues: true);

    public FaceBox? Largest(GrayImage gray) => detectors.Value!.Detect(gray).Largest;

    public void Dispose()
    {
        foreach (var d in detectors.Values) d.Dispose();
        detectors.Dispose();
    }
}
