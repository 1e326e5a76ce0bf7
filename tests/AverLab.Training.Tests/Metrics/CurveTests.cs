using AverLab.Training.Metrics;

namespace AverLab.Training.Tests.Metrics;

/// <summary>ROC curves and reliability bins, on inputs small enough to work out by hand.</summary>
public class CurveTests
{
    [Fact]
    public void RocCurveStepsThroughEachDistinctThresholdWithTiesTogether()
    {
        // Class 1's scores, high to low: 0.9 (pos), 0.8 (neg), 0.6 (pos) and 0.6 (neg) tied, 0.1 (neg).
        int[] y = [1, 0, 1, 0, 0];
        var p = new double[5, 2];
        double[] s1 = [0.9, 0.8, 0.6, 0.6, 0.1];
        for (var i = 0; i < 5; i++) (p[i, 0], p[i, 1]) = (1 - s1[i], s1[i]);

        var roc = RocCurve.OneVsRest(y, p, 1);

        Assert.Equal([0, 0, 1 / 3.0, 2 / 3.0, 1], roc.FalsePositiveRate);
        Assert.Equal([0, 0.5, 0.5, 1, 1], roc.TruePositiveRate);
        // Area: 1/3 * 0.5 + 1/3 * (0.5 + 1) / 2 + 1/3 * 1 = 0.75, the Mann-Whitney value (4.5 of 6 pairs).
        Assert.Equal(0.75, roc.Auc, 12);
        var m = ClassificationMetrics.Compute(y, [1, 1, 1, 1, 0], ["neg", "pos"], p);
        Assert.Equal(0.75, m.RocAucMacro, 12);
        Assert.Equal(0.75, m.RocCurves![1].Auc, 12);
        Assert.Equal(0.75, m.RocCurves[0].Auc, 12); // the other class, scored by 1 - s, ranks the same pairs
    }

    [Fact]
    public void RocCurveOfAClassWithoutNegativesIsUndefined()
    {
        var p = new double[2, 2] { { 0.2, 0.8 }, { 0.4, 0.6 } };
        var roc = RocCurve.OneVsRest([1, 1], p, 1);
        Assert.True(double.IsNaN(roc.Auc));
        Assert.Empty(roc.FalsePositiveRate);
    }

    [Fact]
    public void ReliabilityBinsHoldCountsConfidenceAndAccuracy()
    {
        // Confidences 0.55 (right), 0.6 (wrong), 0.95 (right), 0.9 (right) in 2 bins: (0, 0.5], (0.5, 1].
        int[] y = [0, 0, 1, 1];
        var p = new double[4, 2] { { 0.55, 0.45 }, { 0.4, 0.6 }, { 0.05, 0.95 }, { 0.1, 0.9 } };
        var bins = ReliabilityBin.Compute(y, p, 2);
        Assert.Equal(0, bins[0].Count);
        Assert.True(double.IsNaN(bins[0].Accuracy));
        Assert.Equal(4, bins[1].Count);
        Assert.Equal(0.75, bins[1].Accuracy, 12);
        Assert.Equal((0.55 + 0.6 + 0.95 + 0.9) / 4, bins[1].MeanConfidence, 12);
        Assert.Equal((0.5, 1.0), (bins[1].Lower, bins[1].Upper));
        Assert.Equal(0, ReliabilityBin.ExpectedCalibrationError(bins), 12); // 0.75 accurate at mean confidence 0.75
        var m = ClassificationMetrics.Compute(y, [0, 1, 1, 1], ["a", "b"], p, eceBins: 2);
        Assert.Equal(bins.Select(b => b.Count), m.Reliability!.Select(b => b.Count));
    }

    [Fact]
    public void WithoutProbabilitiesThereAreNoCurves()
    {
        var m = ClassificationMetrics.Compute([0, 1], [0, 1], ["a", "b"]);
        Assert.Null(m.RocCurves);
        Assert.Null(m.Reliability);
    }
}
