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

    /// <summary>brightness: add; contrast: scale about the mean; gamma: power; then clamp to [0, 1].</summary>
    public static float[] Photometric(float[] x, double brightness = 0, double contrast = 1, double gamma = 1)
    {
        var mean = x.Average();
        return x.Select(v => (float)Math.Clamp(Math.Pow(Math.Clamp((v - mean) * contrast + mean + brightness, 0, 1), gamma), 0, 1)).ToArray();
    }

    public static float[] GaussianNoise(float[] x, double sigma, Random rng) =>
        x.Select(v => (float)Math.Clamp(v + sigma * AudioAugment.Gaussian(rng), 0, 1)).ToArray();
}
