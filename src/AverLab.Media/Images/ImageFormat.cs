namespace AverLab.Media.Images;

/// <summary>Encodings <see cref="ImageCodec"/> writes.</summary>
public enum ImageFormat
{
    Png = 0,
    Jpeg = 1,
}
