namespace AverLab.Training.Augmentation;

/// <summary>Augmentations of [channels, height, width] images in [0, 1] (faces, frames).</summary>
public static class ImageAugment
{
    public static float[] HorizontalFlip(float[] x, int channels, int height, int width)
    {
        var y = new float[x.Length];
        for (var c = 0; c < channels; c++)
            for (var r = 0; r < height; r++)
                for (var w = 0; w < width; w++)
                    y[(c * height + r) * width + w] = x[(c * height + r) * width + (width - 1 - w)];
        return y;
    }

    /// <summary>Rotation by <paramref name="degrees"/> about the centre (bilinear, edges clamped); affine covers
    /// rotation, scale and translation together.</summary>
    public static float[] Affine(float[] x, int channels, int height, int width, double degrees, double scale = 1, double dx = 0, double dy = 0)
    {
        var y = new float[x.Length];
        var a = degrees * Math.PI / 180;
        double cos = Math.Cos(a) / scale, sin = Math.Sin(a) / scale, cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (var r = 0; r < height; r++)
            for (var w = 0; w < width; w++)
            {
                var sx = cos * (w - cx - dx) + sin * (r - cy - dy) + cx;
                var sy = -sin * (w - cx - dx) + cos * (r - cy - dy) + cy;
                sx = Math.Clamp(sx, 0, width - 1);
                sy = Math.Clamp(sy, 0, height - 1);
                int x0 = (int)sx, y0 = (int)sy, x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
                double fx = sx - x0, fy = sy - y0;
                for (var c = 0; c < channels; c++)
                {
                    var p = c * height * width;
                    y[p + r * width + w] = (float)((1 - fy) * ((1 - fx) * x[p + y0 * width + x0] + fx * x[p + y0 * width + x1])
                                                 + fy * ((1 - fx) * x[p + y1 * width + x0] + fx * x[p + y1 * width + x1]));
                }
            }
        return y;
    }

    /// <summary>Random erasing (Zhong et al. 2020, torchvision's RandomErasing with value 0): a rectangle covering
    /// <paramref name="area"/> of the image, aspect ratio log-uniform in [0.3, 3.3], at a random place, set to 0.</summary>
    public static float[] Erase(float[] x, int channels, int height, int width, double area, Random rng)
    {
        var aspect = Math.Exp(Math.Log(0.3) + rng.NextDouble() * (Math.Log(3.3) - Math.Log(0.3)));
        var target = area * height * width;
        int eh = Math.Clamp((int)Math.Round(Math.Sqrt(target * aspect)), 1, height), ew = Math.Clamp((int)Math.Round(Math.Sqrt(target / aspect)), 1, width);
        int top = rng.Next(height - eh + 1), left = rng.Next(width - ew + 1);
        var y = (float[])x.Clone();
        for (var c = 0; c < channels; c++)
            for (var r = top; r < top + eh; r++) Array.Clear(y, (c * height + r) * width + left, ew);
        return y;
    }

    /// <summary>brightness: add; contrast: scale about the mean; gamma: power; then clamp to [0, 1].</summary>
    public static float[] Photometric(float[] x, double brightness = 0, double contrast = 1, double gamma = 1)
    {
        var mean = x.Average();
        return x.Select(v => (float)Math.Clamp(Math.Pow(Math.Clamp((v - mean) * contrast + mean + brightness, 0, 1), gamma), 0, 1)).ToArray();
    }

    public static float[] GaussianNoise(float[] x, double sigma, Random rng) =>
        x.Select(v => (float)Math.Clamp(v + sigma * AudioAugment.Gaussian(rng), 0, 1)).ToArray();

    /// <summary>Convolution with a k x k kernel per channel (edges clamped).</summary>
    private static float[] Convolve(float[] x, int channels, int height, int width, float[,] kernel)
    {
        var k = kernel.GetLength(0);
        var r = k / 2;
        var y = new float[x.Length];
        for (var c = 0; c < channels; c++)
            for (var i = 0; i < height; i++)
                for (var j = 0; j < width; j++)
                {
                    float sum = 0;
                    for (var a = 0; a < k; a++)
                        for (var b = 0; b < k; b++)
                            sum += kernel[a, b] * x[(c * height + Math.Clamp(i + a - r, 0, height - 1)) * width + Math.Clamp(j + b - r, 0, width - 1)];
                    y[(c * height + i) * width + j] = Math.Clamp(sum, 0f, 1f);
                }
        return y;
    }

    /// <summary>Gaussian blur with standard deviation sigma (pixels).</summary>
    public static float[] GaussianBlur(float[] x, int channels, int height, int width, double sigma)
    {
        var r = Math.Max(1, (int)Math.Ceiling(2 * sigma));
        var k = new float[2 * r + 1, 2 * r + 1];
        double total = 0;
        for (var a = -r; a <= r; a++)
            for (var b = -r; b <= r; b++) total += k[a + r, b + r] = (float)Math.Exp(-(a * a + b * b) / (2 * sigma * sigma));
        for (var a = 0; a < 2 * r + 1; a++)
            for (var b = 0; b < 2 * r + 1; b++) k[a, b] /= (float)total;
        return Convolve(x, channels, height, width, k);
    }

    /// <summary>Horizontal motion blur over <paramref name="length"/> pixels.</summary>
    public static float[] MotionBlur(float[] x, int channels, int height, int width, int length)
    {
        length = Math.Max(1, length | 1);
        var k = new float[length, length];
        for (var b = 0; b < length; b++) k[length / 2, b] = 1f / length;
        return Convolve(x, channels, height, width, k);
    }

    /// <summary>Unsharp-style sharpening: x + amount·(x − blur(x)) with a 3 x 3 kernel.</summary>
    public static float[] Sharpen(float[] x, int channels, int height, int width, double amount)
    {
        var a = (float)amount;
        var k = new float[3, 3] { { 0, -a, 0 }, { -a, 1 + 4 * a, -a }, { 0, -a, 0 } };
        return Convolve(x, channels, height, width, k);
    }

    /// <summary>Contrast-limited histogram equalisation over the whole image (a global CLAHE: the histogram is
    /// clipped at <paramref name="clipLimit"/> x the mean bin and the excess spread evenly), per channel.</summary>
    public static float[] Equalize(float[] x, int channels, int height, int width, double clipLimit = 2.0)
    {
        var y = new float[x.Length];
        var n = height * width;
        for (var c = 0; c < channels; c++)
        {
            var hist = new double[256];
            for (var p = 0; p < n; p++) hist[(int)Math.Clamp(x[c * n + p] * 255, 0, 255)]++;
            var limit = clipLimit * n / 256.0;
            double excess = 0;
            for (var b = 0; b < 256; b++)
                if (hist[b] > limit) { excess += hist[b] - limit; hist[b] = limit; }
            double cdf = 0;
            var map = new float[256];
            for (var b = 0; b < 256; b++) { cdf += hist[b] + excess / 256; map[b] = (float)(cdf / n); }
            for (var p = 0; p < n; p++) y[c * n + p] = map[(int)Math.Clamp(x[c * n + p] * 255, 0, 255)];
        }
        return y;
    }

    /// <summary>Hue rotation (degrees) and saturation scaling of an RGB image, in HSV space.</summary>
    public static float[] HueSaturation(float[] x, int height, int width, double hueDegrees, double saturation)
    {
        var n = height * width;
        var y = new float[x.Length];
        for (var p = 0; p < n; p++)
        {
            double r = x[p], g = x[n + p], b = x[2 * n + p];
            double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), d = max - min;
            var h = d == 0 ? 0 : max == r ? 60 * (((g - b) / d) % 6) : max == g ? 60 * ((b - r) / d + 2) : 60 * ((r - g) / d + 4);
            var s = max == 0 ? 0 : d / max;
            h = ((h + hueDegrees) % 360 + 360) % 360;
            s = Math.Clamp(s * saturation, 0, 1);
            var cc = max * s; var xx = cc * (1 - Math.Abs(h / 60 % 2 - 1)); var m = max - cc;
            var (r1, g1, b1) = (int)(h / 60) switch { 0 => (cc, xx, 0.0), 1 => (xx, cc, 0.0), 2 => (0.0, cc, xx), 3 => (0.0, xx, cc), 4 => (xx, 0.0, cc), _ => (cc, 0.0, xx) };
            y[p] = (float)(r1 + m); y[n + p] = (float)(g1 + m); y[2 * n + p] = (float)(b1 + m);
        }
        return y;
    }
}
