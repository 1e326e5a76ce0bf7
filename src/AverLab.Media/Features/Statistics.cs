namespace AverLab.Media.Features;

/// <summary>Moments as numpy/scipy compute them: mean, population standard deviation (ddof 0), skewness
/// (scipy.stats.skew, biased: m3 / m2^1.5) and excess kurtosis (scipy.stats.kurtosis, Fisher, biased:
/// m4 / m2^2 - 3). For a constant input, where scipy returns NaN, skewness and kurtosis are 0.</summary>
public static class Statistics
{
    public static (double Mean, double Std, double Skew, double Kurtosis) Moments(ReadOnlySpan<float> x)
    {
        if (x.Length == 0) return (0, 0, 0, 0);
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in x)
        {
            var d = v - mean;
            var d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        m2 /= x.Length;
        m3 /= x.Length;
        m4 /= x.Length;
        var constant = m2 <= 1e-12 * Math.Max(1.0, mean * mean); // round-off level: scipy would return NaN/garbage
        return (mean, Math.Sqrt(m2), constant ? 0 : m3 / Math.Pow(m2, 1.5), constant ? 0 : m4 / (m2 * m2) - 3);
    }
}
