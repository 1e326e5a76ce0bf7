using OpenCvSharp;

namespace AverLab.Media.Images;

/// <summary>Channel-agnostic pixel operations shared by <see cref="RgbImage"/> and <see cref="GrayImage"/>:
/// crops in C#, resampling through OpenCV (OpenCvSharp4), so results match cv2 bit for bit.</summary>
internal static class PixelOps
{
    internal static void CheckSize(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"image size must be positive, got {width}x{height}");
        if ((long)width * height * channels != pixels.Length)
            throw new ArgumentException($"a {width}x{height} image with {channels} channel(s) needs {(long)width * height * channels} bytes, got {pixels.Length}", nameof(pixels));
    }

    internal static byte[] Resize(byte[] src, int width, int height, int channels, int dstWidth, int dstHeight, ResizeMode mode)
    {
        if (dstWidth <= 0 || dstHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(dstWidth), $"target size must be positive, got {dstWidth}x{dstHeight}");
        return Cv.Apply("resize", src, width, height, channels, dstWidth, dstHeight, channels,
            (s, d) => Cv2.Resize(s, d, d.Size(), 0, 0, (InterpolationFlags)mode));
    }

    /// <summary>Copies a rectangle; parts outside the source are filled with <paramref name="fill"/>.</summary>
    internal static byte[] CropPadded(byte[] src, int width, int height, int channels, int x, int y, int w, int h, byte fill)
    {
        if (w <= 0 || h <= 0) throw new ArgumentOutOfRangeException(nameof(w), $"crop size must be positive, got {w}x{h}");
        var dst = new byte[w * h * channels];
        if (fill != 0) Array.Fill(dst, fill);
        var x0 = Math.Max(x, 0);
        var x1 = Math.Min(x + w, width);
        if (x1 <= x0) return dst;
        var rowBytes = (x1 - x0) * channels;
        for (var row = Math.Max(y, 0); row < Math.Min(y + h, height); row++)
            Buffer.BlockCopy(src, (row * width + x0) * channels, dst, ((row - y) * w + (x0 - x)) * channels, rowBytes);
        return dst;
    }

    internal static void CheckInside(int width, int height, int x, int y, int w, int h)
    {
        if (w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > width || y + h > height)
            throw new ArgumentOutOfRangeException(nameof(x), $"crop ({x}, {y}, {w}x{h}) is not inside the {width}x{height} image; use CropPadded to pad");
    }

    internal static byte[] WarpAffine(byte[] src, int width, int height, int channels, ReadOnlySpan<double> matrix,
        int dstWidth, int dstHeight, ResizeMode mode, BorderMode border, byte borderValue)
    {
        if (matrix.Length != 6) throw new ArgumentException("an affine matrix has 6 values (2x3, row-major)", nameof(matrix));
        if (dstWidth <= 0 || dstHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(dstWidth), $"target size must be positive, got {dstWidth}x{dstHeight}");
        var m = matrix.ToArray();
        var borderType = border switch
        {
            BorderMode.Constant => BorderTypes.Constant,
            BorderMode.Replicate => BorderTypes.Replicate,
            _ => BorderTypes.Reflect101,
        };
        return Cv.Apply("warpAffine", src, width, height, channels, dstWidth, dstHeight, channels, (s, d) =>
        {
            using var mm = Mat.FromPixelData(2, 3, MatType.CV_64FC1, m);
            Cv2.WarpAffine(s, d, mm, d.Size(), (InterpolationFlags)mode, borderType, Scalar.All(borderValue));
        });
    }
}
