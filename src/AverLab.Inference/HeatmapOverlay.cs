using AverLab.Media.Images;

namespace AverLab.Inference;

/// <summary>Grad-CAM heatmaps drawn over what the model saw, as the RGB images predict and the web app save.</summary>
public static class HeatmapOverlay
{
    /// <summary>A plane of an input (an MFCC image's coefficients x frames, row-major) scaled to grey by its own range,
    /// with the heatmap blended in red as <see cref="Overlay(byte[], int, float[])"/> does, each cell drawn as a
    /// <paramref name="scaleX"/> x <paramref name="scaleY"/> block so a 40 x 151 MFCC becomes a visible picture.</summary>
    public static RgbImage Overlay(float[] plane, int height, int width, float[] heat, int scaleX, int scaleY)
    {
        if (plane.Length != height * width || heat.Length != height * width)
            throw new ArgumentException($"a {height} x {width} overlay needs {height * width} values and heat values, got {plane.Length} and {heat.Length}");
        if (scaleX < 1 || scaleY < 1) throw new ArgumentOutOfRangeException(nameof(scaleX), $"scales must be at least 1, got {scaleX} x {scaleY}");
        float lo = plane.Min(), hi = plane.Max();
        var range = hi > lo ? hi - lo : 1f;
        var gray = plane.Select(v => (byte)Math.Clamp(Math.Round(255 * (v - lo) / range), 0, 255)).ToArray();
        var cells = Overlay(gray, height, width, heat);
        var (w, h) = (width * scaleX, height * scaleY);
        var pixels = new byte[w * h * RgbImage.Channels];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var from = ((y / scaleY) * width + x / scaleX) * RgbImage.Channels;
                var to = (y * w + x) * RgbImage.Channels;
                for (var c = 0; c < RgbImage.Channels; c++) pixels[to + c] = cells[from + c];
            }
        return new RgbImage(w, h, pixels);
    }

    private static byte[] Overlay(byte[] gray, int height, int width, float[] heat)
    {
        var rgb = new byte[height * width * RgbImage.Channels];
        for (var i = 0; i < height * width; i++)
        {
            var a = 0.5f * heat[i];
            var v = gray[i];
            rgb[3 * i] = (byte)Math.Clamp(v * (1 - a) + 255 * a, 0, 255);
            rgb[3 * i + 1] = (byte)(v * (1 - a));
            rgb[3 * i + 2] = (byte)(v * (1 - a));
        }
        return rgb;
    }

    /// <summary>The face crop with the heatmap blended in red (alpha 0.5 at the hottest pixels), as an RGB image.</summary>
    public static RgbImage Overlay(byte[] gray, int size, float[] heat)
    {
        var rgb = new RgbImage(size, size);
        for (var i = 0; i < size * size; i++)
        {
            var a = 0.5f * heat[i];
            var v = gray[i];
            rgb.Pixels[3 * i] = (byte)Math.Clamp(v * (1 - a) + 255 * a, 0, 255);
            rgb.Pixels[3 * i + 1] = (byte)(v * (1 - a));
            rgb.Pixels[3 * i + 2] = (byte)(v * (1 - a));
        }
        return rgb;
    }
}
