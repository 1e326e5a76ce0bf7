using AverLab.Media.Images;

namespace AverLab.Media.Faces;

/// <summary>Landmark normalisation of faces: the similarity transform (<see cref="SimilarityTransform.Estimate"/>,
/// Umeyama) that maps a face's landmarks onto a canonical template in face-box units — by default the 68-point
/// model's own mean shape — removes the head's in-plane rotation, scale and position. From it come
/// <list type="bullet">
/// <item>the aligned crop: the frame re-sampled (bilinear; black outside the frame) so that the template fills a
/// square of <c>size</c> pixels with <c>margin</c> of the template's unit box on every side, as the box crop
/// (<see cref="SquareCrop"/>) frames a detector's box; faces much larger than the crop are first shrunk by an
/// integer factor with area interpolation, so the bilinear warp does not alias;</item>
/// <item>the normalised coordinates: the landmarks mapped into template units (about 0..1 across the face), what is
/// left is the expression and the out-of-plane pose.</item>
/// </list></summary>
public sealed class LandmarkAligner
{
    private readonly LandmarkPoint[] template;

    public LandmarkAligner(IReadOnlyList<LandmarkPoint> template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template.Count < 2) throw new ArgumentException($"a landmark template needs at least 2 points, got {template.Count}", nameof(template));
        this.template = template.ToArray();
    }

    /// <summary>The aligner on the 68-point model's mean shape (<see cref="FaceLandmarker.Shared"/>).</summary>
    public static LandmarkAligner Dlib68 => Dlib68Instance.Value;

    private static readonly Lazy<LandmarkAligner> Dlib68Instance =
        new(() => new LandmarkAligner(FaceLandmarker.Shared.MeanShape()), LazyThreadSafetyMode.ExecutionAndPublication);

    public IReadOnlyList<LandmarkPoint> Template => template;

    /// <summary>The transform from image pixels to template units for these landmarks.</summary>
    public SimilarityTransform ToTemplate(IReadOnlyList<LandmarkPoint> points)
    {
        if (points.Count != template.Length)
            throw new ArgumentException($"the template has {template.Length} points but the face has {points.Count}", nameof(points));
        return SimilarityTransform.Estimate(points.ToArray(), template);
    }

    /// <summary>Template units → pixels of a size² crop with <paramref name="margin"/> (fraction of the unit box) on
    /// every side: (0.5, 0.5) lands at the crop's centre, the unit box spans size / (1 + 2·margin) pixels.</summary>
    public static SimilarityTransform TemplateToCrop(int size, double margin)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "crop size must be positive");
        if (!(margin >= 0)) throw new ArgumentOutOfRangeException(nameof(margin), margin, "margin must be non-negative");
        var s = size / (1 + 2 * margin);
        return new SimilarityTransform(s, 0, size * 0.5 - 0.5 * s, size * 0.5 - 0.5 * s);
    }

    /// <summary>The transform from image pixels to the aligned crop's pixels.</summary>
    public SimilarityTransform ToCrop(IReadOnlyList<LandmarkPoint> points, int size, double margin) =>
        ToTemplate(points).Then(TemplateToCrop(size, margin));

    /// <summary>The landmarks in template units, flat (x0, y0, x1, y1, ...): 136 values for 68 points.</summary>
    public float[] Normalized(IReadOnlyList<LandmarkPoint> points)
    {
        var t = ToTemplate(points);
        var flat = new float[2 * points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var q = t.Apply(points[i]);
            flat[2 * i] = q.X;
            flat[2 * i + 1] = q.Y;
        }
        return flat;
    }

    public RgbImage Crop(RgbImage image, IReadOnlyList<LandmarkPoint> points, int size, double margin)
    {
        var (source, m) = Shrunk(image.Width, image.Height, ToCrop(points, size, margin), f => image.Resize(image.Width / f, image.Height / f, ResizeMode.Area), image);
        return source.WarpAffine(m, size, size, ResizeMode.Bilinear, BorderMode.Constant);
    }

    public GrayImage Crop(GrayImage image, IReadOnlyList<LandmarkPoint> points, int size, double margin)
    {
        var (source, m) = Shrunk(image.Width, image.Height, ToCrop(points, size, margin), f => image.Resize(image.Width / f, image.Height / f, ResizeMode.Area), image);
        return source.WarpAffine(m, size, size, ResizeMode.Bilinear, BorderMode.Constant);
    }

    /// <summary>When the warp shrinks by 2x or more, the image shrunk first by about that whole factor (area) and
    /// the transform composed with the map from the smaller image's pixel centres to the original's
    /// (x = sx·u + (sx − 1) / 2, sx = width / shrunk width; likewise y).</summary>
    private static (T Source, double[] Matrix) Shrunk<T>(int width, int height, SimilarityTransform t, Func<int, T> shrink, T image)
    {
        var factor = (int)Math.Floor(1 / t.Scale);
        factor = Math.Min(factor, Math.Min(width, height));
        if (factor < 2) return (image, t.ToMatrix());
        double sx = (double)width / (width / factor), sy = (double)height / (height / factor);
        double cx = (sx - 1) / 2, cy = (sy - 1) / 2;
        return (shrink(factor),
        [
            t.A * sx, -t.B * sy, t.A * cx - t.B * cy + t.Tx,
            t.B * sx, t.A * sy, t.B * cx + t.A * cy + t.Ty,
        ]);
    }
}
