using AverLab.Media.Faces;
using AverLab.Media.Images;

namespace AverLab.FrontEnds;

/// <summary>The face front end shared by training and inference, so a face model sees the same crops in both:
/// largest Haar face → square crop with a 20 % margin (padded at the border) → image_size², scaled to [0, 1],
/// [1, S, S] gray (features.grayscale) or [3, S, S] RGB. With features.align: landmarks the crop is instead
/// re-sampled from the frame through the similarity transform that maps the face's 68 dlib landmarks onto the
/// landmark model's mean shape (<see cref="LandmarkAligner"/>, same 20 % margin); with features.landmarks the
/// normalised landmark coordinates (136 values, template units) come with it. A features.kind pixels model (trained
/// on FER2013's rows) gets FER's form instead: a tight square crop (<see cref="PixelsMargin"/>), gray, 48x48.</summary>
public static class FaceCrops
{
    public const double Margin = 0.2;

    /// <summary>FER2013's faces are tightly registered (brow to chin fills the 48x48 image), so a pixels model sees the
    /// Haar box with only a 10 % margin rather than the 20 % the face front end trains with.</summary>
    public const double PixelsMargin = 0.1;

    /// <summary>The crop's margin around the Haar box: FER's tight one for pixels models, else <see cref="Margin"/>.</summary>
    public static double MarginOf(FeatureConfig f) => f.Kind == FeatureKind.Pixels ? PixelsMargin : Margin;

    /// <summary>The crop's side: 48 for pixels models (FER2013's rows are 48x48 whatever image_size says), else
    /// features.image_size.</summary>
    public static int SizeOf(FeatureConfig f) => f.Kind == FeatureKind.Pixels ? AverLab.Data.Corpora.Fer2013Corpus.Side : f.ImageSize;

    public static int Channels(FeatureConfig f) => f.Grayscale || f.Kind == FeatureKind.Pixels ? 1 : 3;

    /// <summary>Values per frame of the landmark input: 136 coordinates, plus 136 frame-to-frame deltas for
    /// sequences (frames, faces_audio).</summary>
    public static int LandmarkValues(FeatureConfig f) => f.Kind == FeatureKind.Faces ? 136 : 272;

    /// <summary>Whether the config needs the 68 landmarks of each face.</summary>
    public static bool NeedsLandmarks(FeatureConfig f) => f.Align == "landmarks" || f.Landmarks;

    /// <summary>The crop of one face box as model input values, channel-first (aligned when the config says so).</summary>
    public static float[] Crop(RgbImage frame, GrayImage gray, FaceBox box, FeatureConfig f) => Face(frame, gray, box, f).Crop;

    /// <summary>The crop of one face box and, when features.landmarks, its normalised landmarks (else null).</summary>
    public static (float[] Crop, float[]? Landmarks) Face(RgbImage frame, GrayImage gray, FaceBox box, FeatureConfig f)
    {
        if (!NeedsLandmarks(f)) return (BoxCrop(frame, gray, box, f), null);
        var points = FaceLandmarker.Shared.Detect(gray, box).Points;
        var aligner = LandmarkAligner.Dlib68;
        var crop = f.Align == "landmarks"
            ? Channels(f) == 1 ? aligner.Crop(gray, points, f.ImageSize, Margin).ToFloats() : ToChannelFirst(aligner.Crop(frame, points, f.ImageSize, Margin))
            : BoxCrop(frame, gray, box, f);
        return (crop, f.Landmarks ? aligner.Normalized(points) : null);
    }

    /// <summary>The gray picture of what the model saw (Grad-CAM overlays): the aligned or the box crop.</summary>
    public static GrayImage GrayView(GrayImage gray, FaceBox box, FeatureConfig f) =>
        f.Align == "landmarks"
            ? LandmarkAligner.Dlib68.Crop(gray, FaceLandmarker.Shared.Detect(gray, box).Points, f.ImageSize, Margin)
            : SquareCrop.Around(gray, box, SizeOf(f), MarginOf(f), CropBorder.Pad);

    /// <summary>The landmark input of a frame without a face: the template itself (no deformation).</summary>
    public static float[] TemplateLandmarks() =>
        LandmarkAligner.Dlib68.Template.SelectMany(p => new[] { p.X, p.Y }).ToArray();

    private static float[] BoxCrop(RgbImage frame, GrayImage gray, FaceBox box, FeatureConfig f) =>
        Channels(f) == 1
            ? SquareCrop.Around(gray, box, SizeOf(f), MarginOf(f), CropBorder.Pad).ToFloats()
            : ToChannelFirst(SquareCrop.Around(frame, box, SizeOf(f), MarginOf(f), CropBorder.Pad));

    /// <summary>Per-frame landmark rows [n, 136] → [n, 272]: each row followed by its change from the previous row
    /// (zeros for the first).</summary>
    public static float[] WithDeltas(IReadOnlyList<float[]> rows)
    {
        const int w = 136;
        var data = new float[rows.Count * 2 * w];
        for (var t = 0; t < rows.Count; t++)
        {
            rows[t].CopyTo(data, t * 2 * w);
            for (var j = 0; j < w; j++) data[t * 2 * w + w + j] = t == 0 ? 0 : rows[t][j] - rows[t - 1][j];
        }
        return data;
    }

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
