using AverLab.Data.Loading;
using AverLab.FrontEnds;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

namespace AverLab.Training.Tests.Experiments;

/// <summary>features.speaker_norm: each speaker is standardized with its own utterances' statistics, never with
/// labels and never with another speaker's examples: per-speaker normalisation without label leakage.</summary>
[Collection("pipeline")]
public sealed class SpeakerNormTests(PipelineFixture fx)
{
    private sealed class Listed(IReadOnlyList<Example> examples) : IDataset
    {
        public int Count => examples.Count;
        public Example Get(int index) => examples[index];
    }

    private static Example Ex(string speaker, long label, params float[] rowMajor2x3) =>
        new(rowMajor2x3, [2, 3], label) { Speaker = speaker };

    [Fact]
    public void EachSpeakerIsStandardizedWithItsOwnRowStatistics()
    {
        var a1 = Ex("a", 0, 1, 2, 3, 10, 10, 10);
        var a2 = Ex("a", 1, 5, 6, 7, 20, 20, 20);
        var b1 = Ex("b", 0, 100, 100, 100, -1, -2, -3);
        var n = SpeakerNormalizer.Fit(new Listed([a1, a2, b1]));
        // Speaker a, row 0: values 1 2 3 5 6 7 → mean 4, population std sqrt(28/6); row 1: 10 x3, 20 x3 → mean 15, std 5.
        var y = n.Transform(a1.Data, "a");
        var s0 = Math.Sqrt(28.0 / 6);
        Assert.Equal(new[] { (1 - 4) / s0, (2 - 4) / s0, (3 - 4) / s0, -1, -1, -1 }, y.Select(v => (double)v), new Tolerance(1e-5));
        // Speaker b alone: a constant row has std clamped to 1e-6, so it maps to 0.
        Assert.Equal(new float[] { 0, 0, 0 }, n.Transform(b1.Data, "b")[..3]);
    }

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= eps;
        public int GetHashCode(double obj) => 0;
    }

    [Fact]
    public void LabelsAndOtherSpeakersDoNotChangeASpeakersStatistics()
    {
        var rng = new Random(1);
        Example R(string speaker, long label) => Ex(speaker, label, Enumerable.Range(0, 6).Select(_ => (float)rng.NextDouble() * 10).ToArray());
        var a = Enumerable.Range(0, 5).Select(i => R("a", i % 3)).ToList();
        var b = Enumerable.Range(0, 5).Select(i => R("b", i % 3)).ToList();
        var reference = SpeakerNormalizer.Fit(new Listed([.. a, .. b]));
        var relabelled = SpeakerNormalizer.Fit(new Listed([.. a.Select(e => e with { Label = 7 - e.Label }), .. b]));
        var otherB = SpeakerNormalizer.Fit(new Listed([.. a, .. b.Select(e => e with { Data = e.Data.Select(v => v * 50 + 3).ToArray() }), R("c", 0)]));
        foreach (var e in a)
        {
            var expected = reference.Transform(e.Data, "a");
            Assert.Equal(expected, relabelled.Transform(e.Data, "a"));
            Assert.Equal(expected, otherB.Transform(e.Data, "a"));
        }
        // ... while changing speaker a's own clips does change them.
        var moved = SpeakerNormalizer.Fit(new Listed([.. a.Select(e => e with { Data = e.Data.Select(v => v + 1).ToArray() }), .. b]));
        Assert.NotEqual(reference.Transform(a[0].Data, "a"), moved.Transform(a[0].Data, "a"));
        Assert.Throws<InvalidOperationException>(() => reference.Transform(a[0].Data, "zz"));
    }

    [Fact]
    public void ThePipelineNormalizesTestSpeakersFromTheirOwnClipsOnly()
    {
        var loaded = ConfigLoader.FromText(fx.Config("spknorm", 1), "spknorm.yaml",
            ["features.speaker_norm=true", "features.normalize=false"]);
        var data = ExperimentData.Load(loaded.Config, Path.Combine(fx.Root, "cache"));
        Assert.NotNull(data.Speakers);
        var testSpeakers = data.TestItems.Select(i => i.Item.Speaker!).Distinct().ToList();
        var testIds = data.TestItems.Select(i => i.Item.Id).ToHashSet();
        Assert.True(data.Split.Train.All(id => !testIds.Contains(id)));
        var trainSpeakers = Enumerable.Range(0, data.Train.Count).Select(i => data.Train.Get(i).Speaker!).ToHashSet();
        Assert.DoesNotContain(testSpeakers, trainSpeakers.Contains);
        // Expected: the raw cached features of the test speaker's clips standardized by that speaker's clips alone.
        var cache = new AverLab.Data.Features.FeatureCache(Path.Combine(fx.Root, "cache"), data.Extractor);
        foreach (var speaker in testSpeakers)
        {
            var own = data.TestItems.Where(i => i.Item.Speaker == speaker).Select(i => cache.Get(i.Item.Path)).ToList();
            var scaler = SpeakerNormalizer.FitOne(own.Select(f => f.Data).ToList(), own[0].Shape);
            for (var i = 0; i < data.TestItems.Count; i++)
            {
                if (data.TestItems[i].Item.Speaker != speaker) continue;
                Assert.Equal(scaler.Transform(cache.Get(data.TestItems[i].Item.Path).Data), data.Test.Get(i).Data);
            }
        }
        // Per speaker, each MFCC row of the normalized test features has mean 0 and std 1.
        var first = testSpeakers[0];
        var rows = Enumerable.Range(0, data.Test.Count).Where(i => data.TestItems[i].Item.Speaker == first).Select(i => data.Test.Get(i)).ToList();
        var frames = (int)rows[0].Shape[1];
        var row0 = rows.SelectMany(e => e.Data.Take(frames)).Select(v => (double)v).ToArray();
        Assert.Equal(0, row0.Average(), 3);
        Assert.Equal(1, Math.Sqrt(row0.Select(v => v * v).Average()), 3);
    }

    [Fact]
    public void ImageFrontEndsRefuseIt()
    {
        var plan = ExperimentData.ReadAndSplit(ConfigLoader.FromText(fx.Config("spknorm-faces", 1), "spknorm.yaml").Config);
        var loaded = ConfigLoader.FromText(fx.Config("spknorm-faces", 1), "spknorm.yaml", ["features.speaker_norm=true", "features.kind=faces"]);
        var e = Assert.ThrowsAny<ConfigException>(() => loaded.At(() => { ExperimentData.CheckFeatures(loaded.Config, plan); return 0; }));
        Assert.Contains("features.speaker_norm", e.Message);
        Assert.Contains("not to faces", e.Message);
    }
}
