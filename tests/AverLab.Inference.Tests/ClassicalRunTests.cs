using System.Text.Json;
using AverLab.Data.Corpora;
using AverLab.Data.Labels;
using AverLab.Data.Splits;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

namespace AverLab.Inference.Tests;

/// <summary>The classical baselines end to end on the fixture's synthetic corpus (4 actors, one held out: 15 test
/// clips, chance 1/8): trained by the same runner into the same run folder, scored well above chance, and their
/// model zip reloaded by <see cref="Predictor"/> gives every held-out clip, read from its file, the class the run's
/// own test pass gave it (the confusion matrices are equal), PCA included.</summary>
[Collection("trained run")]
public sealed class ClassicalRunTests(TrainedRunFixture fx)
{
    private string Config(string model, string features = "") => $$"""
        name: classical_{{model}}
        seed: 4
        data:
          corpus: ravdess
          root: {{fx.Corpus}}
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {kind: mfcc_stats, sample_rate: 16000, duration: 1.5, n_mfcc: 20, deltas: true{{features}}}
        model:
          name: {{model}}
        output: {root: {{Path.Combine(fx.Root, "runs")}}}
        """;

    [Theory]
    [InlineData("random_forest", "")]
    [InlineData("logistic_regression", ", pca: {components: 12}")]
    [InlineData("gradient_boosting", "")]
    public void BaselineRunBeatsChanceAndPredictsTheSameAfterReload(string model, string features)
    {
        var loaded = ConfigLoader.FromText(Config(model, features), $"{model}.yaml");
        var run = ExperimentRunner.Run(loaded, new RunOptions { BootstrapSamples = 0 });
        var dir = run.Folder.Path;
        foreach (var f in new[] { "config.yaml", "run.json", "split.json", "skipped.json", "metrics.json", "model.json", "report.html",
                     "checkpoints/model.zip", "plots/confusion_counts.png", "plots/roc.svg" })
            Assert.True(File.Exists(Path.Combine(dir, f)), $"{model}: {f} missing");
        Assert.Empty(Directory.GetFiles(dir, "*.tmp*", SearchOption.AllDirectories));
        Assert.True(run.Test.Accuracy >= 0.5, $"{model}: test accuracy {run.Test.Accuracy:F3} (chance 0.125)");

        using var p = Predictor.Load(dir);
        Assert.True(p.TakesAudio);
        Assert.Equal(features.Length > 0, p.Card.Pca is { Count: 12 });
        var split = SplitManifest.Read(Path.Combine(dir, "split.json"));
        var space = LabelSpace.NativeOf(RavdessCorpus.Read(fx.Corpus).Corpus);
        var testItems = RavdessCorpus.Read(fx.Corpus).Items.Where(i => split.Test.Contains(i.Id) && i.Kind == MediaKind.Audio).ToList();
        Assert.Equal(15, testItems.Count);
        var confusion = new int[space.Count, space.Count];
        foreach (var item in testItems)
        {
            var probs = p.PredictClip(item.Path);
            Assert.Equal(1.0, probs.Sum(), 9);
            confusion[space.ClassOf(item)!.Value, Array.IndexOf(probs, probs.Max())]++;
        }
        var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json"))).RootElement.GetProperty("test").GetProperty("confusion");
        for (var i = 0; i < space.Count; i++)
            for (var j = 0; j < space.Count; j++)
                Assert.Equal(saved[i][j].GetInt32(), confusion[i, j]);
        // evaluate (RunEvaluator) reloads the zip and scores the same split the same.
        Assert.Equal(run.Test.Accuracy, RunEvaluator.Evaluate(dir).Accuracy, 12);
    }

    [Fact]
    public void TrainingKeysThatDoNotApplyAreRefusedAtTheirKey()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromText(Config("random_forest"), "rf.yaml", ["training.epochs=5"]));
        Assert.Contains("training.epochs", e.Message);
        Assert.Contains("does not apply to random_forest", e.Message);
        e = Assert.Throws<ConfigException>(() => ConfigLoader.FromText(Config("gradient_boosting"), "gb.yaml", ["training.optimizer.lr=0.1"]));
        Assert.Contains("training.optimizer.lr", e.Message);
        e = Assert.Throws<ConfigException>(() => ConfigLoader.FromText(Config("logistic_regression"), "lr.yaml", ["features.kind=mfcc"]));
        Assert.Contains("features.kind", e.Message);
        e = Assert.Throws<ConfigException>(() => ConfigLoader.FromText(Config("random_forest") + "\ncallbacks: [{name: early_stopping}]\n", "rf.yaml"));
        Assert.Contains("callbacks", e.Message);
        // The two training keys a classical model uses are accepted.
        ConfigLoader.FromText(Config("logistic_regression"), "lr.yaml", ["training.threads=2", "training.class_weights=balanced"]);
    }

    [Fact]
    public void DryRunChecksAClassicalConfigWithoutTraining()
    {
        var loaded = ConfigLoader.FromText(Config("gradient_boosting", ", pca: {components: 4}"), "gb.yaml", ["output.root=" + Path.Combine(fx.Root, "dry")]);
        var report = DryRun.Check(loaded);
        Assert.Contains("gradient_boosting (classical", report.Describe());
        Assert.Equal([1L, 80], report.FeatureShape); // 20 MFCCs: means, stds and their deltas'
        Assert.False(Directory.Exists(Path.Combine(fx.Root, "dry")));
    }

    [Fact]
    public void SameConfigAndSeedGiveTheSameMetrics()
    {
        var loaded = ConfigLoader.FromText(Config("random_forest"), "rf.yaml");
        var a = ExperimentRunner.Run(loaded, new RunOptions { BootstrapSamples = 0 });
        var b = ExperimentRunner.Run(loaded, new RunOptions { BootstrapSamples = 0 });
        Assert.Equal(File.ReadAllText(Path.Combine(a.Folder.Path, "metrics.json")), File.ReadAllText(Path.Combine(b.Folder.Path, "metrics.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a.Folder.Path, "checkpoints", "model.zip")).Length,
            File.ReadAllBytes(Path.Combine(b.Folder.Path, "checkpoints", "model.zip")).Length);
    }
}
