using AverLab.IO;
using AverLab.Training.Metrics;

namespace AverLab.Training.Tests.Metrics;

/// <summary>Metrics against scikit-learn on fixed predictions (tests/golden/make_metrics_golden.py).</summary>
public class ClassificationMetricsTests
{
    private static readonly Lazy<Dictionary<string, SafeTensorEntry>> Golden =
        new(() => SafeTensors.ReadRaw(Path.Combine(AppContext.BaseDirectory, "golden", "metrics.safetensors")).entries);

    [Theory]
    [InlineData("five_class")]
    [InlineData("eight_class_hard")]
    [InlineData("never_predicted")]
    public void EqualsScikitLearn(string name)
    {
        var g = Golden.Value;
        var yTrue = g[$"{name}.y_true"].ToInt64().Select(v => (int)v).ToArray();
        var yPred = g[$"{name}.y_pred"].ToInt64().Select(v => (int)v).ToArray();
        var flat = g[$"{name}.proba"].ToFloat64();
        var k = (int)g[$"{name}.proba"].Shape[1];
        var proba = new double[yTrue.Length, k];
        Buffer.BlockCopy(flat, 0, proba, 0, flat.Length * sizeof(double));
        var labels = Enumerable.Range(0, k).Select(i => $"c{i}").ToArray();

        var m = ClassificationMetrics.Compute(yTrue, yPred, labels, proba);

        const double tol = 1e-12;
        Assert.Equal(g[$"{name}.accuracy"].ToFloat64()[0], m.Accuracy, tol);
        Assert.Equal(g[$"{name}.balanced_accuracy"].ToFloat64()[0], m.BalancedAccuracy, tol);
        Assert.Equal(g[$"{name}.macro_f1"].ToFloat64()[0], m.MacroF1, tol);
        Assert.Equal(g[$"{name}.weighted_f1"].ToFloat64()[0], m.WeightedF1, tol);
        Assert.Equal(g[$"{name}.roc_auc"].ToFloat64()[0], m.RocAucMacro, tol);
        Assert.Equal(g[$"{name}.ece"].ToFloat64()[0], m.ExpectedCalibrationError, tol);
        // The curves behind the figures agree with the same sklearn numbers: the mean trapezoidal area of the
        // per-class ROC curves is the macro AUC, and the reliability bins give the ECE.
        Assert.Equal(g[$"{name}.roc_auc"].ToFloat64()[0], m.RocCurves!.Where(c => double.IsFinite(c.Auc)).Average(c => c.Auc), tol);
        Assert.Equal(g[$"{name}.ece"].ToFloat64()[0], ReliabilityBin.ExpectedCalibrationError(m.Reliability!), tol);
        Assert.Equal(yTrue.Length, m.Reliability!.Sum(b => b.Count));
        Assert.Equal(g[$"{name}.support"].ToInt64(), m.Support);
        var (p, r, f) = (g[$"{name}.precision"].ToFloat64(), g[$"{name}.recall"].ToFloat64(), g[$"{name}.f1"].ToFloat64());
        for (var c = 0; c < k; c++)
        {
            Assert.Equal(p[c], m.Precision[c], tol);
            Assert.Equal(r[c], m.Recall[c], tol);
            Assert.Equal(f[c], m.F1[c], tol);
        }
        var cm = g[$"{name}.confusion"].ToInt64();
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
                Assert.Equal(cm[i * k + j], m.Confusion[i, j]);
    }

    [Fact]
    public void NormalizedConfusionRowsSumToOne()
    {
        var m = ClassificationMetrics.Compute([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2], ["a", "b", "c"]);
        var n = m.ConfusionNormalized;
        Assert.Equal(0.5, n[0, 0]);
        Assert.Equal(2.0 / 3, n[1, 1], 12);
        for (var i = 0; i < 3; i++) Assert.Equal(1.0, n[i, 0] + n[i, 1] + n[i, 2], 12);
        Assert.True(double.IsNaN(m.RocAucMacro));
    }

    [Fact]
    public void BootstrapIntervalsAreSeededAndContainTheEstimate()
    {
        var rng = new Random(1);
        var y = Enumerable.Range(0, 300).Select(_ => rng.Next(4)).ToArray();
        var yp = y.Select(v => rng.NextDouble() < 0.7 ? v : rng.Next(4)).ToArray();
        var labels = new[] { "a", "b", "c", "d" };
        var a = ClassificationMetrics.Compute(y, yp, labels, bootstrapSamples: 500, seed: 3);
        var b = ClassificationMetrics.Compute(y, yp, labels, bootstrapSamples: 500, seed: 3);
        Assert.Equal(a.AccuracyCi, b.AccuracyCi);
        Assert.InRange(a.Accuracy, a.AccuracyCi!.Value.Lower, a.AccuracyCi.Value.Upper);
        Assert.InRange(a.MacroF1, a.MacroF1Ci!.Value.Lower, a.MacroF1Ci.Value.Upper);
        Assert.True(a.AccuracyCi.Value.Upper - a.AccuracyCi.Value.Lower is > 0.02 and < 0.2);
    }

    [Fact]
    public void BadInputIsRejectedClearly()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 5], [0, 1], ["a", "b"]));
        Assert.Contains("sample 1", e.Message);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0], [0, 1], ["a", "b"]));
    }
}
