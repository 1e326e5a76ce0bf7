namespace AverLab.Media.Images;

/// <summary>How pixels outside the source are filled by warps (cv2.BORDER_CONSTANT / REPLICATE / REFLECT_101).</summary>
public enum BorderMode
{
    Constant = 0,
    Replicate = 1,
    Reflect101 = 2,
}
