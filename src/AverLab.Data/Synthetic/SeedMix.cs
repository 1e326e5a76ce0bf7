namespace AverLab.Data.Synthetic;

/// <summary>Derives independent, stable seeds from a base seed and item coordinates (splitmix64 finalizer), so each
/// generated file depends only on the seed and its own name, never on thread timing.</summary>
internal static class SeedMix
{
    public static int Of(int seed, params int[] parts)
    {
        ulong z = (ulong)(uint)seed + 0x9E3779B97F4A7C15UL;
        foreach (var p in parts)
        {
            z ^= (ulong)(uint)p + 0x9E3779B97F4A7C15UL + (z << 6) + (z >> 2);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
        }
        return (int)(z & 0x7FFFFFFF);
    }

    public static double Gaussian(this Random r) =>
        Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    // 65,536 fixed standard-normal draws. Per-sample and per-pixel noise (over 100 M draws for the default corpus)
    // picks from it: one integer draw instead of Box–Muller's two doubles, a log, a root and a cosine.
    private static readonly double[] NoiseTable = BuildNoiseTable();

    private static double[] BuildNoiseTable()
    {
        var r = new Random(20240607);
        var t = new double[1 << 16];
        for (var i = 0; i < t.Length; i++) t[i] = r.Gaussian();
        return t;
    }

    /// <summary>A standard-normal value for noise (from a fixed table); use <see cref="Gaussian"/> for parameters.</summary>
    public static double Noise(this Random r) => NoiseTable[r.Next(1 << 16)];
}
