namespace AverLab.Media.Faces;

/// <summary>What a square face crop does where it would leave the image.</summary>
public enum CropBorder
{
    /// <summary>Shift the square inside the image (and shrink it to the image's shorter side if needed): no
    /// invented pixels, but the face may sit off-centre near borders.</summary>
    Clamp,
    /// <summary>Keep the square centred on the face and fill outside pixels with black.</summary>
    Pad,
}
