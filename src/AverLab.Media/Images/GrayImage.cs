namespace AverLab.Media.Images;

/// <summary>An 8-bit single-channel image, rows top to bottom (numpy (H, W) uint8).</summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height, byte[] pixels)
    {
        PixelOps.CheckSize(width, height, 1, pixels);
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>A black image.</summary>
    public GrayImage(int width, int height) : this(width, height, new byte[checked(width * height)]) { }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public byte this[int x, int y]
    {
        get => Pixels[Offset(x, y)];
        set => Pixels[Offset(x, y)] = value;
    }

    /// <summary>Gray replicated into R, G and B.</summary>
    public RgbImage ToRgb()
    {
        var rgb = new byte[Pixels.Length * 3];
        for (int i = 0, j = 0; i < Pixels.Length; i++, j += 3) rgb[j] = rgb[j + 1] = rgb[j + 2] = Pixels[i];
        return new RgbImage(Width, Height, rgb);
    }

    /// <summary>Pixels as floats times <paramref name="scale"/> (default 1/255, i.e. [0, 1]), row-major (H, W).</summary>
    public float[] ToFloats(float scale = 1f / 255f)
    {
        var f = new float[Pixels.Length];
        for (var i = 0; i < f.Length; i++) f[i] = Pixels[i] * scale;
        return f;
    }

    public GrayImage Resize(int width, int height, ResizeMode mode = ResizeMode.Area) =>
        new(width, height, PixelOps.Resize(Pixels, Width, Height, 1, width, height, mode));

    public GrayImage Crop(int x, int y, int width, int height)
    {
        PixelOps.CheckInside(Width, Height, x, y, width, height);
        return CropPadded(x, y, width, height);
    }

    public GrayImage CropPadded(int x, int y, int width, int height, byte fill = 0) =>
        new(width, height, PixelOps.CropPadded(Pixels, Width, Height, 1, x, y, width, height, fill));

    public GrayImage WarpAffine(ReadOnlySpan<double> matrix, int width, int height, ResizeMode mode = ResizeMode.Bilinear,
        BorderMode border = BorderMode.Constant, byte borderValue = 0) =>
        new(width, height, PixelOps.WarpAffine(Pixels, Width, Height, 1, matrix, width, height, mode, border, borderValue));

    public GrayImage Clone() => new(Width, Height, (byte[])Pixels.Clone());

    private int Offset(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"pixel ({x}, {y}) is outside the {Width}x{Height} image");
        return y * Width + x;
    }
}
