using AverLab.Media.Images;

namespace AverLab.Media.Faces;

/// <summary>Square face crops: the box's longer side plus <c>margin</c> of it on every side, centred on the box,
/// then resized (area interpolation) to the model's input, e.g. 64x64 or 48x48.</summary>
public static class SquareCrop
{
    /// <summary>The square region (x, y, side, side) in image coordinates for a face box.</summary>
    public static (int X, int Y, int Side) Region(FaceBox box, double margin, int imageWidth, int imageHeight, CropBorder border)
    {
        if (!(margin >= 0)) throw new ArgumentOutOfRangeException(nameof(margin), margin, "margin must be non-negative");
        var side = Math.Max(1, (int)Math.Round(Math.Max(box.Width, box.Height) * (1 + 2 * margin)));
        var x = (int)Math.Round(box.CenterX - side / 2.0);
        var y = (int)Math.Round(box.CenterY - side / 2.0);
        if (border == CropBorder.Clamp)
        {
            side = Math.Min(side, Math.Min(imageWidth, imageHeight));
            x = Math.Clamp((int)Math.Round(box.CenterX - side / 2.0), 0, imageWidth - side);
            y = Math.Clamp((int)Math.Round(box.CenterY - side / 2.0), 0, imageHeight - side);
        }
        return (x, y, side);
    }

    public static RgbImage Around(RgbImage image, FaceBox box, int size = 64, double margin = 0.2, CropBorder border = CropBorder.Pad)
    {
        var (x, y, side) = Region(box, margin, image.Width, image.Height, border);
        var crop = image.CropPadded(x, y, side, side);
        return side == size ? crop : crop.Resize(size, size, side > size ? ResizeMode.Area : ResizeMode.Bilinear);
    }

    public static GrayImage Around(GrayImage image, FaceBox box, int size = 64, double margin = 0.2, CropBorder border = CropBorder.Pad)
    {
        var (x, y, side) = Region(box, margin, image.Width, image.Height, border);
        var crop = image.CropPadded(x, y, side, side);
        return side == size ? crop : crop.Resize(size, size, side > size ? ResizeMode.Area : ResizeMode.Bilinear);
    }
}
