using AverLab.Media.Images;

namespace AverLab.Media.Faces;

/// <summary>One frame through <see cref="FaceExtractor"/>: either no face (<see cref="Found"/> false; the caller
/// decides what that means) or the largest face's box, its gray crop, and (when asked) the same crop in colour.</summary>
public sealed record FaceExtraction(FaceBox? Box, GrayImage? Face, RgbImage? ColorFace = null)
{
    public static readonly FaceExtraction NoFace = new(null, null);

    public bool Found => Box != null;
}
