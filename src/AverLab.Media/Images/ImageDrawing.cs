namespace AverLab.Media.Images;

/// <summary>Minimal drawing for inspecting detections (boxes, landmark dots) in saved images.</summary>
public static class ImageDrawing
{
    /// <summary>Outlines the rectangle (x, y, w, h), clipped to the image.</summary>
    public static void DrawRectangle(RgbImage image, int x, int y, int width, int height, (byte R, byte G, byte B) color, int thickness = 2)
    {
        for (var t = 0; t < thickness; t++)
        {
            for (var i = x; i < x + width; i++)
            {
                Plot(image, i, y + t, color);
                Plot(image, i, y + height - 1 - t, color);
            }
            for (var j = y; j < y + height; j++)
            {
                Plot(image, x + t, j, color);
                Plot(image, x + width - 1 - t, j, color);
            }
        }
    }

    /// <summary>A filled square dot of the given radius centred on (x, y), clipped to the image.</summary>
    public static void DrawPoint(RgbImage image, double x, double y, (byte R, byte G, byte B) color, int radius = 1)
    {
        var cx = (int)Math.Round(x);
        var cy = (int)Math.Round(y);
        for (var j = cy - radius; j <= cy + radius; j++)
            for (var i = cx - radius; i <= cx + radius; i++)
                Plot(image, i, j, color);
    }

    private static void Plot(RgbImage image, int x, int y, (byte R, byte G, byte B) c)
    {
        if ((uint)x < (uint)image.Width && (uint)y < (uint)image.Height) image.SetPixel(x, y, c.R, c.G, c.B);
    }
}
