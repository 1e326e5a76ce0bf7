using AverLab.Media.Images;

namespace AverLab.Media.Faces;

/// <summary>Landmark-based alignment: a similarity transform (rotation, uniform scale, translation) that puts both
/// eye centres level, at fixed positions of a square output, applied with cv2.warpAffine. The eye on the image's
/// left lands at (<see cref="LeftEyeX"/>, <see cref="EyeY"/>) x size, the other at (1 - LeftEyeX, EyeY) x size
/// (the layout of imutils' FaceAligner, which the seeds use).</summary>
public sealed class FaceAligner
{
    /// <summary>Output side in pixels. Default 64.</summary>
    public int Size { get; init; } = 64;

    /// <summary>Horizontal position of the image-left eye as a fraction of the side. Default 0.35.</summary>
    public double LeftEyeX { get; init; } = 0.35;

    /// <summary>Vertical position of both eyes as a fraction of the side. Default 0.35.</summary>
    public double EyeY { get; init; } = 0.35;

    public ResizeMode Interpolation { get; init; } = ResizeMode.Bilinear;

    public BorderMode Border { get; init; } = BorderMode.Replicate;

    /// <summary>The 2x3 row-major matrix mapping source pixels to the aligned output.</summary>
    public double[] Matrix(FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        if (Size <= 0) throw new ArgumentOutOfRangeException(nameof(Size), Size, "size must be positive");
        if (!(LeftEyeX > 0 && LeftEyeX < 0.5)) throw new ArgumentOutOfRangeException(nameof(LeftEyeX), LeftEyeX, "the left eye must sit in the left half");
        var l = landmarks.ImageLeftEye;
        var r = landmarks.ImageRightEye;
        double dx = r.X - l.X, dy = r.Y - l.Y;
        var distance = Math.Sqrt(dx * dx + dy * dy);
        if (!(distance > 1e-6)) throw new ArgumentException("the eye centres coincide; cannot align", nameof(landmarks));
        var scale = (1 - 2 * LeftEyeX) * Size / distance;
        var angle = Math.Atan2(dy, dx);
        // cv2.getRotationMatrix2D(eyes_centre, degrees(angle), scale), then move the eyes' midpoint to its target.
        double cx = (l.X + r.X) / 2.0, cy = (l.Y + r.Y) / 2.0;
        double a = scale * Math.Cos(angle), b = scale * Math.Sin(angle);
        return
        [
            a, b, (1 - a) * cx - b * cy + (Size * 0.5 - cx),
            -b, a, b * cx + (1 - a) * cy + (Size * EyeY - cy),
        ];
    }

    public RgbImage Align(RgbImage image, FaceLandmarks landmarks) =>
        image.WarpAffine(Matrix(landmarks), Size, Size, Interpolation, Border);

    public GrayImage Align(GrayImage image, FaceLandmarks landmarks) =>
        image.WarpAffine(Matrix(landmarks), Size, Size, Interpolation, Border);

    /// <summary>Where a source point lands in the aligned output.</summary>
    public static LandmarkPoint Transform(ReadOnlySpan<double> m, LandmarkPoint p) =>
        new((float)(m[0] * p.X + m[1] * p.Y + m[2]), (float)(m[3] * p.X + m[4] * p.Y + m[5]));
}
