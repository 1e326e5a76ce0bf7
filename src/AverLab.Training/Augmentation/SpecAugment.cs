namespace AverLab.Training.Augmentation;

/// <summary>SpecAugment masks (Park et al. 2019) on a [rows, frames] feature map: a band of rows (frequency or
/// coefficient mask) or a span of frames (time mask) set to the map's mean.</summary>
public static class SpecAugment
{
    public static float[] FrequencyMask(float[] x, int rows, int maxWidth, Random rng) => Mask(x, rows, maxWidth, rng, alongRows: true);

    public static float[] TimeMask(float[] x, int rows, int maxWidth, Random rng) => Mask(x, rows, maxWidth, rng, alongRows: false);

    private static float[] Mask(float[] x, int rows, int maxWidth, Random rng, bool alongRows)
    {
        var cols = x.Length / rows;
        var extent = alongRows ? rows : cols;
        var width = rng.Next(0, Math.Min(maxWidth, extent) + 1);
        var start = rng.Next(0, extent - width + 1);
        var mean = x.Average();
        var y = (float[])x.Clone();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                var k = alongRows ? r : c;
                if (k >= start && k < start + width) y[r * cols + c] = mean;
            }
        return y;
    }
}
