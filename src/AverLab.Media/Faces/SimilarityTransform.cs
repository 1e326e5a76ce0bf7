namespace AverLab.Media.Faces;

/// <summary>A 2-D similarity transform (uniform scale, rotation, translation; no reflection):
/// x' = A·x − B·y + Tx, y' = B·x + A·y + Ty, with A = s·cos θ and B = s·sin θ.
/// <see cref="Estimate"/> is Umeyama's least-squares solution (Umeyama 1991, as skimage's SimilarityTransform
/// and dlib's find_similarity_transform compute it with an SVD); in two dimensions that solution has the closed form
/// used here.</summary>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    public static readonly SimilarityTransform Identity = new(1, 0, 0, 0);

    public double Scale => Math.Sqrt(A * A + B * B);

    /// <summary>Rotation in radians (counter-clockwise in x-right, y-up axes; clockwise on screen, where y points down).</summary>
    public double Angle => Math.Atan2(B, A);

    /// <summary>The row-major 2x3 matrix [A, −B, Tx; B, A, Ty] (cv2.warpAffine's layout: source → destination).</summary>
    public double[] ToMatrix() => [A, -B, Tx, B, A, Ty];

    public LandmarkPoint Apply(LandmarkPoint p) => new((float)(A * p.X - B * p.Y + Tx), (float)(B * p.X + A * p.Y + Ty));

    public (double X, double Y) Apply(double x, double y) => (A * x - B * y + Tx, B * x + A * y + Ty);

    /// <summary>The transform applied after this one: <c>then ∘ this</c>.</summary>
    public SimilarityTransform Then(SimilarityTransform then) => new(
        then.A * A - then.B * B, then.B * A + then.A * B,
        then.A * Tx - then.B * Ty + then.Tx, then.B * Tx + then.A * Ty + then.Ty);

    /// <summary>The similarity that maps <paramref name="source"/> onto <paramref name="target"/> with the least sum of
    /// squared distances (Umeyama). Needs at least two distinct source points and equal counts.</summary>
    public static SimilarityTransform Estimate(ReadOnlySpan<LandmarkPoint> source, ReadOnlySpan<LandmarkPoint> target)
    {
        if (source.Length != target.Length)
            throw new ArgumentException($"similarity estimate: {source.Length} source points but {target.Length} target points");
        if (source.Length < 2) throw new ArgumentException($"similarity estimate: needs at least 2 points, got {source.Length}");
        double sx = 0, sy = 0, tx = 0, ty = 0;
        for (var i = 0; i < source.Length; i++)
        {
            sx += source[i].X; sy += source[i].Y;
            tx += target[i].X; ty += target[i].Y;
        }
        var n = source.Length;
        sx /= n; sy /= n; tx /= n; ty /= n;
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < n; i++)
        {
            double px = source[i].X - sx, py = source[i].Y - sy, qx = target[i].X - tx, qy = target[i].Y - ty;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (!(norm > 1e-12)) throw new ArgumentException("similarity estimate: the source points coincide");
        double a = dot / norm, b = cross / norm;
        return new SimilarityTransform(a, b, tx - (a * sx - b * sy), ty - (b * sx + a * sy));
    }
}
