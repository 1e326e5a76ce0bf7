namespace AverLab.Training.Metrics;

/// <summary>One confidence bin of a reliability diagram: the items whose confidence (largest class probability)
/// lies in (<see cref="Lower"/>, <see cref="Upper"/>], their mean confidence and the fraction of them predicted
/// correctly (both NaN for an empty bin).</summary>
public sealed record ReliabilityBin(double Lower, double Upper, long Count, double MeanConfidence, double Accuracy)
{
    /// <summary><paramref name="bins"/> equal-width bins over [0, 1]; the first also takes confidence 0.</summary>
    public static ReliabilityBin[] Compute(IReadOnlyList<int> yTrue, double[,] probabilities, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "at least one bin");
        var k = probabilities.GetLength(1);
        var count = new long[bins];
        var conf = new double[bins];
        var acc = new double[bins];
        for (var i = 0; i < yTrue.Count; i++)
        {
            var best = 0;
            for (var c = 1; c < k; c++)
                if (probabilities[i, c] > probabilities[i, best]) best = c;
            var confidence = probabilities[i, best];
            var b = Math.Clamp((int)Math.Ceiling(confidence * bins) - 1, 0, bins - 1);
            count[b]++;
            conf[b] += confidence;
            acc[b] += best == yTrue[i] ? 1 : 0;
        }
        return Enumerable.Range(0, bins).Select(b => new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b],
            count[b] == 0 ? double.NaN : conf[b] / count[b], count[b] == 0 ? double.NaN : acc[b] / count[b])).ToArray();
    }

    /// <summary>ECE = Σ_b |B_b|/n · |accuracy(B_b) − mean confidence(B_b)| (Guo et al. 2017); NaN with no items.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> bins)
    {
        var n = bins.Sum(b => b.Count);
        if (n == 0) return double.NaN;
        double ece = 0;
        foreach (var b in bins)
            if (b.Count > 0) ece += Math.Abs(b.Accuracy - b.MeanConfidence) * b.Count / n;
        return ece;
    }
}
