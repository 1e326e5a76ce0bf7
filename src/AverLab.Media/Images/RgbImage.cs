using OpenCvSharp;

namespace AverLab.Media.Images;

/// <summary>An 8-bit RGB image: <see cref="Pixels"/> holds rows top to bottom, each pixel R, G, B interleaved
/// (the layout of a numpy (H, W, 3) uint8 array from PIL or cv2.cvtColor(..., BGR2RGB)).</summary>
public sealed class RgbImage
{
    public const int Channels = 3;

    public RgbImage(int width, int height, byte[] pixels)
    {
        PixelOps.CheckSize(width, height, Channels, pixels);
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>A black image.</summary>
    public RgbImage(int width, int height) : this(width, height, new byte[checked(width * height * Channels)]) { }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        var i = Offset(x, y);
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    public void SetPixel(int x, int y, byte r, byte g, byte b)
    {
        var i = Offset(x, y);
        Pixels[i] = r;
        Pixels[i + 1] = g;
        Pixels[i + 2] = b;
    }

    /// <summary>Luma with OpenCV's weights (0.299 R + 0.587 G + 0.114 B), as cv2.cvtColor(img, COLOR_RGB2GRAY).</summary>
    public GrayImage ToGray() =>
        new(Width, Height, Cv.Apply("cvtColor", Pixels, Width, Height, Channels, Width, Height, 1,
            (s, d) => Cv2.CvtColor(s, d, ColorConversionCodes.RGB2GRAY)));

    /// <summary>Resized copy (cv2.resize with the same interpolation).</summary>
    public RgbImage Resize(int width, int height, ResizeMode mode = ResizeMode.Area) =>
        new(width, height, PixelOps.Resize(Pixels, Width, Height, Channels, width, height, mode));

    /// <summary>The rectangle (x, y, w, h), which must lie inside the image.</summary>
    public RgbImage Crop(int x, int y, int width, int height)
    {
        PixelOps.CheckInside(Width, Height, x, y, width, height);
        return CropPadded(x, y, width, height);
    }

    /// <summary>The rectangle (x, y, w, h), which may extend past the borders: outside pixels become
    /// <paramref name="fill"/> (a gray level for all three channels).</summary>
    public RgbImage CropPadded(int x, int y, int width, int height, byte fill = 0) =>
        new(width, height, PixelOps.CropPadded(Pixels, Width, Height, Channels, x, y, width, height, fill));

    /// <summary>cv2.warpAffine(img, matrix, (width, height)): the 2x3 row-major matrix maps source to target.</summary>
    public RgbImage WarpAffine(ReadOnlySpan<double> matrix, int width, int height, ResizeMode mode = ResizeMode.Bilinear,
        BorderMode border = BorderMode.Constant, byte borderValue = 0) =>
        new(width, height, PixelOps.WarpAffine(Pixels, Width, Height, Channels, matrix, width, height, mode, border, borderValue));

    public RgbImage Clone() => new(Width, Height, (byte[])Pixels.Clone());

    private int Offset(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"pixel ({x}, {y}) is outside the {Width}x{Height} image");
        return (y * Width + x) * Channels;
    }
}
