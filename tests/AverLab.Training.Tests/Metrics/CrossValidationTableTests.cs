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

    [Fact]
    public void ProtocolsTableShowsThePublishedNumberBesideBothProtocols()
    {
        long[,] c = { { 3, 1 }, { 1, 3 } };
        var strat = new CrossValidation.Summary("/e/cv-stratified-1", CrossValidation.Protocol.Stratified, ["a", "b"], [new(0, "r", 0.75, 0.75, 0.75, c), new(1, "r", 0.75, 0.75, 0.75, c)], null);
        var spk = new CrossValidation.Summary("/e/cv-2", CrossValidation.Protocol.Speaker, ["a", "b"], [new(0, "r", 0.5, 0.5, 0.5, c), new(1, "r", 0.7, 0.7, 0.7, c)], null);
        var dir = Directory.CreateTempSubdirectory("averlab-protocols-").FullName;
        try
        {
            var md = CrossValidation.WriteProtocols(dir, [strat, spk], new ReferenceConfig { Accuracy = 0.742, Protocol = "random 80/20", Source = "seed 003" });
            var lines = md.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(5, lines.Length);
            Assert.StartsWith("| published (seed 003) | random 80/20 | 0.7420 |", lines[2]);
            Assert.Contains("stratified k-fold over clips", lines[3]);
            Assert.Contains("| 0.7500 ± 0.0000", lines[3]);
            Assert.Contains("speaker k-fold (speaker-independent) | 0.6000 ± 0.1414", lines[4]);
            Assert.Equal(md, File.ReadAllText(Path.Combine(dir, "protocols.md")));
            Assert.Contains("\"stratified_kfold\"", File.ReadAllText(Path.Combine(dir, "protocols.json")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
