using System.Text.Json.Nodes;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.Training.Search;
using AverLab.FrontEnds;

namespace AverLab.Training.Tests.Experiments;

/// <summary>A config in, a complete run folder out; determinism, resume and sweeps on the synthetic corpus.</summary>
[Collection("pipeline")]
public sealed class ExperimentRunnerTests(PipelineFixture fx)
{
    private ConfigLoader.Loaded Load(string name, int epochs = 3, string extra = "", params string[] sets) =>
        ConfigLoader.FromText(fx.Config(name, epochs, extra), $"{name}.yaml", sets);

    [Fact]
    public void RunWritesACompleteFolder()
    {
        var r = ExperimentRunner.Run(Load("complete"), new RunOptions { BootstrapSamples = 200 });
        var f = r.Folder;
        foreach (var file in new[] { f.ConfigYaml, f.RunJson, f.MetricsJson, f.ModelJson, f.SplitJson, f.ReportHtml, f.BestCheckpoint, f.LastCheckpoint,
                     Path.Combine(f.Path, "history.csv"), Path.Combine(f.Path, "skipped.json") })
            Assert.True(File.Exists(file), $"missing {file}");
        var metrics = JsonNode.Parse(File.ReadAllText(f.MetricsJson))!;
        Assert.InRange(metrics["test"]!["accuracy"]!.GetValue<double>(), 0, 1);
        Assert.Equal(8, metrics["test"]!["labels"]!.AsArray().Count);
        var run = JsonNode.Parse(File.ReadAllText(f.RunJson))!;
        Assert.Equal(5, run["seed"]!.GetValue<long>());
        Assert.Equal(64, run["data_manifest_sha256"]!.GetValue<string>().Length);
        Assert.StartsWith("2.10", run["libtorch"]!.GetValue<string>());
        Assert.StartsWith("0.107", run["torchsharp"]!.GetValue<string>());
        var card = ModelCard.Load(f.ModelJson);
        Assert.Equal("audio_cnn_transformer", card.Model);
        Assert.NotNull(card.Scaler);
        var html = File.ReadAllText(f.ReportHtml);
        Assert.Contains("<figure id=\"confusion-matrix\"><img src=\"data:image/png;base64,", html);
        Assert.Contains("<figure id=\"loss-curve\"><img src=\"data:image/png;base64,", html);
        foreach (var figure in new[] { "loss", "accuracy", "learning_rate", "confusion_counts", "confusion_normalized", "f1_per_class", "roc", "reliability" })
            foreach (var ext in new[] { ".png", ".svg" })
                Assert.True(File.Exists(Path.Combine(f.PlotsDir, figure + ext)), $"missing plots/{figure}{ext}");
        // The split never puts a speaker on both sides.
        var split = Data.Splits.SplitManifest.Read(f.SplitJson);
        Assert.True(split.SpeakerIndependent);
        // evaluate reproduces the test metrics from the checkpoint.
        var again = RunEvaluator.Evaluate(f.Path);
        Assert.Equal(r.Test.Accuracy, again.Accuracy);
    }

    [Fact]
    public void OutputRootOverridePutsTheRunThere()
    {
        var other = Path.Combine(fx.Root, "elsewhere");
        var r = ExperimentRunner.Run(Load("moved", epochs: 1, sets: $"output.root={other}"), new RunOptions { BootstrapSamples = 0 });
        Assert.StartsWith(other, r.Folder.Path);
    }

    [Fact]
    public void SameConfigAndSeedTwiceGiveIdenticalMetrics()
    {
        var a = ExperimentRunner.Run(Load("twice"), new RunOptions { BootstrapSamples = 100 });
        var b = ExperimentRunner.Run(Load("twice"), new RunOptions { BootstrapSamples = 100 });
        Assert.NotEqual(a.Folder.Path, b.Folder.Path);
        Assert.Equal(File.ReadAllText(a.Folder.MetricsJson), File.ReadAllText(b.Folder.MetricsJson));
    }

    [Fact]
    public void InterruptedRunResumedEqualsUninterruptedRun()
    {
        var full = ExperimentRunner.Run(Load("resume-full", epochs: 4), new RunOptions { BootstrapSamples = 100 });
        var first = ExperimentRunner.Run(Load("resume-split", epochs: 4), new RunOptions { StopAfterEpochs = 2, BootstrapSamples = 100 });
        Assert.False(first.Finished);
        Assert.False(File.Exists(first.Folder.MetricsJson));
        // What a kill -9 during an atomic write leaves (AtomicFile's temp names; a pid no process has).
        var stale = new[]
        {
            Path.Combine(first.Folder.CheckpointDir, $".last.safetensors.2147483646.{Guid.NewGuid():N}.tmp"),
            Path.Combine(first.Folder.Path, $".run.json.2147483646.{Guid.NewGuid():N}.tmp"),
        };
        foreach (var f in stale) File.WriteAllText(f, "partial");
        var started = JsonNode.Parse(File.ReadAllText(first.Folder.RunJson))!["started_utc"]!.GetValue<string>();
        var resumedConfig = ConfigLoader.Load(first.Folder.ConfigYaml);
        var resumed = ExperimentRunner.Run(resumedConfig, new RunOptions { ResumeDir = first.Folder.Path, BootstrapSamples = 100 });
        Assert.True(resumed.Finished);
        Assert.Equal(File.ReadAllText(full.Folder.MetricsJson), File.ReadAllText(resumed.Folder.MetricsJson));
        Assert.All(stale, f => Assert.False(File.Exists(f), $"{f} was not removed on resume"));
        var run = JsonNode.Parse(File.ReadAllText(resumed.Folder.RunJson))!;
        Assert.Equal(started, run["started_utc"]!.GetValue<string>());
        var resumedAt = Assert.Single(run["resumed_utc"]!.AsArray())!.GetValue<string>();
        Assert.True(DateTime.Parse(resumedAt, System.Globalization.CultureInfo.InvariantCulture) >= DateTime.Parse(started, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void AshaSweepOfEightTrialsCompletesAndResumesWithoutRepeating()
    {
        const string search = """
            search:
              strategy: asha
              trials: 8
              min_epochs: 1
              reduction_factor: 3
              metric: val_acc
              mode: max
              space:
                training.optimizer.lr: {loguniform: [0.001, 0.05]}
                training.optimizer.momentum: {choice: ["0.5", "0.9"]}
            """;
        var loaded = Load("sweep", epochs: 3, extra: search);
        var path = Path.Combine(fx.Root, "sweep.yaml");
        File.WriteAllText(path, fx.Config("sweep", 3, search));
        loaded = ConfigLoader.Load(path);
        var first = SweepRunner.Run(loaded, new SweepOptions { StopAfterJobs = 5 });
        Assert.Equal(5, first.JobsRun);
        var resumed = SweepRunner.Run(loaded, new SweepOptions { ResumeDir = first.Folder });
        var jobs = File.ReadAllLines(Path.Combine(first.Folder, "jobs.jsonl"));
        Assert.Equal(jobs.Length, jobs.Distinct().Count());
        Assert.Equal(8, jobs.Select(l => JsonNode.Parse(l)!["Trial"]!.GetValue<int>()).Distinct().Count());
        Assert.True(resumed.JobsRun >= 3);
        Assert.Contains(jobs, l => JsonNode.Parse(l)!["Rung"]!.GetValue<int>() >= 1);
        Assert.True(File.Exists(resumed.BestConfigPath));
        Assert.True(File.Exists(Path.Combine(first.Folder, "results.csv")));
        var best = ConfigLoader.Load(resumed.BestConfigPath).Config;
        Assert.Equal("sweep", best.Name);
    }

    [Fact]
    public void CrossValidationTestsEachActorOnce()
    {
        var loaded = Load("cv", epochs: 1, sets: ["data.split.protocol=speaker_kfold", "data.split.folds=2", "data.split.val_fraction=0"]);
        var summary = CrossValidation.Run(loaded);
        Assert.Equal(2, summary.Folds.Count);
        var tested = summary.Folds.SelectMany(f => Data.Splits.SplitManifest.Read(Path.Combine(f.Run, "split.json")).Test).ToList();
        Assert.Equal(tested.Count, tested.Distinct().Count());
        Assert.True(File.Exists(Path.Combine(summary.Folder, "cv.json")));
        var rows = RunComparison.Collect([summary.Folder]);
        Assert.Equal(2, rows.Count);
        // The pooled confusion matrix holds every fold's test items once, and its accuracy is their pooled accuracy.
        var pooled = summary.Pooled;
        Assert.Equal(tested.Count, pooled.Count);
        var correct = summary.Folds.Sum(f => Enumerable.Range(0, summary.Labels.Length).Sum(i => f.Confusion[i, i]));
        Assert.Equal((double)correct / tested.Count, pooled.Accuracy, 12);
        foreach (var file in new[] { "cv.csv", "cv.md", "confusion.csv", "plots/confusion_counts.png", "plots/confusion_normalized.svg" })
            Assert.True(File.Exists(Path.Combine(summary.Folder, file)), file);
        var csv = File.ReadAllLines(Path.Combine(summary.Folder, "confusion.csv"));
        Assert.Equal(1 + summary.Labels.Length, csv.Length);
        Assert.Equal(tested.Count, csv.Skip(1).Sum(l => l.Split(',').Skip(1).Sum(int.Parse)));
    }

    [Fact]
    public void StratifiedCrossValidationPutsSpeakersOnBothSidesAndTestsEachClipOnce()
    {
        var loaded = Load("cv-strat", epochs: 1, sets: [CrossValidation.SplitSetting(CrossValidation.Protocol.Stratified), "data.split.folds=2", "data.split.val_fraction=0"]);
        var summary = CrossValidation.Run(loaded, protocol: CrossValidation.Protocol.Stratified);
        var splits = summary.Folds.Select(f => Data.Splits.SplitManifest.Read(Path.Combine(f.Run, "split.json"))).ToList();
        var tested = splits.SelectMany(s => s.Test).ToList();
        Assert.Equal(tested.Count, tested.Distinct().Count());
        Assert.All(splits, s => Assert.False(s.SpeakerIndependent));
        Assert.Contains("stratified_kfold", File.ReadAllText(Path.Combine(summary.Folder, "cv.json")));
        Assert.Contains("stratified k-fold over clips", File.ReadAllText(Path.Combine(summary.Folder, "cv.md")));
    }
}
