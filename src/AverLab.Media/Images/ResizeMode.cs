namespace AverLab.Media.Images;

/// <summary>Interpolation for resizing and warping. Values are OpenCV's codes (cv2.INTER_*), passed through as is.</summary>
public enum ResizeMode
{
    Nearest = 0,
    Bilinear = 1,
    Bicubic = 2,
    /// <summary>Pixel-area averaging (cv2.INTER_AREA): the right choice for shrinking, e.g. a face to 64x64.</summary>
    Area = 3,
}
