using AverLab.Data.Loading;
using AverLab.FrontEnds;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.Training.Tests.Experiments;

namespace AverLab.Training.Tests.Features;

/// <summary>features.pca and features.smote inside <see cref="ExperimentData"/> on the pipeline corpus (4 actors:
/// 2 train, 1 validation, 1 test; neutral has half the clips of the other classes): both are fitted on the training
/// split only. Each test also shows it could fail: statistics that saw the validation or test rows differ.</summary>
[Collection("pipeline")]
public sealed class FeaturePipelineTests(PipelineFixture fx)
{
    private string Cache => Path.Combine(fx.Root, "cache-pipeline");

    private ExperimentConfig Config(params string[] sets) => ConfigLoader.FromText(fx.Config("fp", 1), "fp.yaml",
        ["features.kind=mfcc_stats", "features.n_mfcc=13", "model.name=feature_mlp", "model.params={}", .. sets]).Config;

    private static List<Example> All(IDataset set) => Enumerable.Range(0, set.Count).Select(set.Get).ToList();

    [Fact]
    public void PcaIsFittedOnTheStandardizedTrainingRowsOnly()
    {
        var plain = ExperimentData.Load(Config(), Cache);
        var data = ExperimentData.Load(Config("features.pca={components: 6}"), Cache);
        var train = All(plain.Train).Select(e => e.Data).ToList();
        var expected = PcaProjection.Fit(train, 6, 0);
        Assert.Equal(expected.Mean, data.Pca!.Mean);
        Assert.Equal(expected.Components, data.Pca.Components);
        Assert.Equal([1L, 6], data.FeatureShape);
        // Every side is projected with the training split's components.
        Assert.Equal(expected.Transform(plain.Test.Get(0).Data), data.Test.Get(0).Data);
        Assert.Equal(expected.Transform(plain.Validation!.Get(1).Data), data.Validation!.Get(1).Data);
        // Fitted on all sides, the projection would differ: the equalities above can tell.
        var everything = train.Concat(All(plain.Validation).Select(e => e.Data)).Concat(All(plain.Test).Select(e => e.Data)).ToList();
        Assert.NotEqual(PcaProjection.Fit(everything, 6, 0).Mean, data.Pca.Mean);
    }

    [Fact]
    public void PcaByVarianceKeepsTheFewestComponentsAboveTheFraction()
    {
        var data = ExperimentData.Load(Config("features.pca={variance: 0.8}"), Cache);
        var ratio = data.Pca!.ExplainedVarianceRatio;
        Assert.True(ratio.Sum() > 0.8, $"{ratio.Sum()}");
        Assert.True(ratio.SkipLast(1).Sum() <= 0.8, $"{ratio.SkipLast(1).Sum()}");
        Assert.Equal([1L, data.Pca.Count], data.FeatureShape);
    }

    [Fact]
    public void SmoteBalancesTheTrainingSplitFromTrainingRowsOnly()
    {
        var plain = ExperimentData.Load(Config(), Cache);
        var data = ExperimentData.Load(Config("features.smote={k_neighbors: 3}"), Cache);
        var real = All(plain.Train);
        var oversampled = All(data.Train);
        var before = real.GroupBy(e => e.Label).ToDictionary(g => g.Key, g => g.Count());
        Assert.NotEqual(before.Values.Min(), before.Values.Max()); // neutral is the minority here
        Assert.All(oversampled.GroupBy(e => e.Label), g => Assert.Equal(before.Values.Max(), g.Count()));
        Assert.Equal(before.Values.Max() - before.Values.Min(), data.SmoteCounts!["neutral"].Added);
        // Validation and test are untouched; the real training rows come first, unchanged.
        Assert.Equal(plain.Validation!.Count, data.Validation!.Count);
        Assert.Equal(plain.Test.Count, data.Test.Count);
        for (var i = 0; i < real.Count; i++) Assert.Equal(real[i].Data, oversampled[i].Data);
        // Each synthetic row lies between two training rows of its class (a validation or test row would not).
        foreach (var s in oversampled.Skip(real.Count))
        {
            var same = real.Where(e => e.Label == s.Label).Select(e => e.Data).ToList();
            Assert.True(same.Any(a => same.Any(b => !ReferenceEquals(a, b) && OnSegment(s.Data, a, b))),
                "a synthetic row is on no segment between two training rows of its class");
        }
    }

    [Fact]
    public void PcaAndSmoteNeedAVectorFrontEnd()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromText(fx.Config("fp", 1), "fp.yaml", ["features.smote={k_neighbors: 3}"]));
        Assert.Contains("features", e.Message);
        Assert.Contains("needs a feature vector", e.Message);
        e = Assert.Throws<ConfigException>(() => Config("features.pca={components: 3, variance: 0.5}"));
        Assert.Contains("exactly one of components", e.Message);
    }

    private static bool OnSegment(float[] y, float[] a, float[] b)
    {
        var d = a.Zip(b, (p, q) => (double)q - p).ToArray();
        var len2 = d.Sum(v => v * v);
        if (len2 == 0) return false;
        var u = y.Select((v, j) => (v - a[j]) * d[j]).Sum() / len2;
        return u >= -1e-6 && u <= 1 + 1e-6 && y.Select((v, j) => Math.Abs(v - (a[j] + u * d[j]))).Max() < 1e-3;
    }
}
