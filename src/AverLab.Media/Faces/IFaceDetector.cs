using AverLab.Media.Images;

namespace AverLab.Media.Faces;

/// <summary>A face detector working on 8-bit gray images.</summary>
public interface IFaceDetector
{
    FaceDetectionResult Detect(GrayImage image);

    /// <summary>Converts to gray (OpenCV's weights) and detects.</summary>
    FaceDetectionResult Detect(RgbImage image);
}
