using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

namespace AverLab.Training.Tests.Metrics;

/// <summary>The cv protocol table's numbers: the t-interval over folds and the pooled confusion matrix.</summary>
public sealed class CrossValidationTableTests
{
    [Fact]
    public void FoldMeanHasTheStudentTInterval()
    {
        // scipy.stats.t.interval(0.95, 5, loc=mean, scale=sem) for [0.5, 0.6, 0.55, 0.65, 0.45, 0.7]:
        // mean 0.575, sd 0.0935414, half-width 2.5706 * 0.0935414 / sqrt(6) = 0.0981656.
        var ci = CrossValidation.MeanCi.Of([0.5, 0.6, 0.55, 0.65, 0.45, 0.7]);
        Assert.Equal(0.575, ci.Mean, 12);
        Assert.Equal(0.0935414, ci.Std, 6);
        Assert.Equal(0.575 - 0.0981656, ci.Lower, 5);
        Assert.Equal(0.575 + 0.0981656, ci.Upper, 5);
        Assert.Equal(2.2281, CrossValidation.StudentT975(10));
        Assert.InRange(CrossValidation.StudentT975(200), 1.96, 1.975);
    }

    [Fact]
    public void PooledMetricsComeFromTheSummedConfusionMatrices()
    {
        long[,] a = { { 3, 1 }, { 0, 4 } }, b = { { 2, 2 }, { 1, 3 } };
        var s = new CrossValidation.Summary("/x", CrossValidation.Protocol.Speaker, ["neg", "pos"],
            [new(0, "/x/0", 7 / 8.0, 0, 0, a), new(1, "/x/1", 5 / 8.0, 0, 0, b)],
            new ReferenceConfig { Accuracy = 0.8, Protocol = "random 80/20", Source = "seed 001" });
        Assert.Equal(new long[,] { { 5, 3 }, { 1, 7 } }, s.PooledConfusion);
        var p = s.Pooled;
        Assert.Equal(16, p.Count);
        Assert.Equal(12 / 16.0, p.Accuracy, 12);
        // F1(neg) = 2*5/(2*5+3+1) = 10/14, F1(pos) = 14/18.
        Assert.Equal((10 / 14.0 + 14 / 18.0) / 2, p.MacroF1, 12);
        var md = CrossValidation.Markdown(s);
        Assert.Contains("| published (seed 001) | random 80/20 | 0.8000 | — |", md);
        Assert.Contains("| neg | 5 | 3 |", md);
        Assert.Contains("0.7500 (95% CI", md);
    }
}
