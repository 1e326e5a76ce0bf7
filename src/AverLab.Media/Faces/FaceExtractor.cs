using AverLab.Media.Images;

namespace AverLab.Media.Faces;

/// <summary>The usual face front-end of the video seeds in one call: gray frame → detector → largest face →
/// square crop with margin → resize (e.g. 48x48 or 64x64). Optionally aligns on landmarks instead of cropping.</summary>
public sealed class FaceExtractor(IFaceDetector detector)
{
    public IFaceDetector Detector { get; } = detector ?? throw new ArgumentNullException(nameof(detector));

    public int Size { get; init; } = 64;

    public double Margin { get; init; } = 0.2;

    public CropBorder Border { get; init; } = CropBorder.Pad;

    /// <summary>When set, faces are aligned on its 68 landmarks (eyes level) instead of box-cropped.</summary>
    public FaceLandmarker? Landmarker { get; init; }

    /// <summary>Also return the crop in colour (<see cref="FaceExtraction.ColorFace"/>), for RGB face models.</summary>
    public bool KeepColor { get; init; }

    public FaceExtraction Extract(RgbImage frame) => Extract(frame.ToGray(), frame);

    public FaceExtraction Extract(GrayImage gray) => Extract(gray, null);

    private FaceExtraction Extract(GrayImage gray, RgbImage? color)
    {
        if (Detector.Detect(gray).Largest is not { } box) return FaceExtraction.NoFace;
        var keepColor = KeepColor && color != null;
        if (Landmarker != null)
        {
            var aligner = new FaceAligner { Size = Size };
            var landmarks = Landmarker.Detect(gray, box);
            return new FaceExtraction(box, aligner.Align(gray, landmarks), keepColor ? aligner.Align(color!, landmarks) : null);
        }
        return new FaceExtraction(box, SquareCrop.Around(gray, box, Size, Margin, Border),
            keepColor ? SquareCrop.Around(color!, box, Size, Margin, Border) : null);
    }
}
