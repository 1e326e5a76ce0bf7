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

    public FaceExtraction Extract(RgbImage frame) => Extract(frame.ToGray());

    public FaceExtraction Extract(GrayImage gray)
    {
        if (Detector.Detect(gray).Largest is not { } box) return FaceExtraction.NoFace;
        if (Landmarker != null)
        {
            var aligner = new FaceAligner { Size = Size };
            return new FaceExtraction(box, aligner.Align(gray, Landmarker.Detect(gray, box)));
        }
        return new FaceExtraction(box, SquareCrop.Around(gray, box, Size, Margin, Border));
    }
}
