using System.Text.Json.Nodes;
using AverLab.Data.Splits;
using AverLab.Data.Synthetic;
using AverLab.Tests.Support;

namespace AverLab.Train.Tests;

/// <summary>`cv --nested` through the CLI on a 6-actor synthetic corpus: 3 outer speaker folds, 2 inner, two
/// candidates of which one cannot learn in 8 epochs (learning rate 1e-6) and one can (0.01), on the hand-crafted vector (standardized).</summary>
public sealed class NestedCvTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-nested-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private string Corpus()
    {
        var root = Path.Combine(dir, "corpus");
        if (!Directory.Exists(root))
            SyntheticCorpus.Generate(root, new SyntheticCorpusOptions { Seed = 4, Actors = 6, AllCombinations = false, Video = false, FerPerClass = 0 });
        return Path.Combine(root, "ravdess");
    }

    private string Config(string runs, string candidates = "[{training.optimizer.lr: 0.000001}, {training.optimizer.lr: 0.01}]", string? root = null)
    {
        var path = Path.Combine(dir, $"nested-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $$"""
            name: nested
            seed: 3
            data:
              corpus: ravdess
              root: {{root ?? Corpus()}}
              split: {protocol: speaker_kfold, folds: 3, val_fraction: 0}
            features: {kind: handcrafted, sample_rate: 16000, duration: 1.0}
            model:
              name: feature_mlp
              params: {hidden_sizes: [32]}
            training:
              epochs: 8
              batch_size: 8
              threads: 1
              optimizer: {name: adam, lr: 0.001}
            output: {root: {{runs}}}
            nested_cv:
              inner_folds: 2
              metric: balanced_accuracy
              candidates: {{candidates}}
            """);
        return path;
    }

    private static (int Code, string Out, string Err) Ok((int Code, string Out, string Err) r) =>
        r.Code == 0 ? r : throw new Xunit.Sdk.XunitException($"exit {r.Code}: {r.Err}\n{r.Out}");

    private static string Folder(string runs) => Assert.Single(Directory.GetDirectories(Path.Combine(runs, "nested"), "nested-cv-*"));

    [Fact]
    [Trait("Category", Category.Slow)]
    public void NestedCvChoosesByInnerFoldsAndEstimatesOnOuterFolds()
    {
        var runs = Path.Combine(dir, "runs-a");
        var r = Ok(TrainOptionEffectTests.Exec("cv", "--config", Config(runs), "--nested"));
        var folder = Folder(runs);
        Assert.Contains("nested 3x2-fold speaker CV over 2 candidates", r.Out);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "nested_cv.json")))!;
        Assert.Equal(3, json["outer_folds"]!.GetValue<int>());
        Assert.Equal("balanced_accuracy", json["metric"]!.GetValue<string>());
        Assert.Equal("0.01", json["candidates"]![1]!["settings"]!["training.optimizer.lr"]!.GetValue<string>());
        var outer = json["outer"]!.AsArray();
        Assert.Equal(3, outer.Count);
        var allTested = new List<string>();
        foreach (var o in outer)
        {
            var inner = o!["inner"]!.AsArray();
            Assert.Equal(2, inner.Count);
            var means = inner.Select(c => c!["mean"]!.GetValue<double>()).ToArray();
            Assert.All(inner, c => Assert.Equal(2, c!["scores"]!.AsArray().Count));
            // The choice is the best inner mean, and the learning candidate wins by a wide margin in every fold.
            var chosen = o["chosen"]!.GetValue<int>();
            Assert.Equal(Array.IndexOf(means, means.Max()), chosen);
            Assert.Equal(1, chosen);
            Assert.True(means[1] > means[0] + 0.15, $"inner means {string.Join(", ", means)}");
            // The outer test items: none of them is in any inner run of this fold (train, validation or test).
            var f = o["fold"]!.GetValue<int>();
            var final = SplitManifest.Read(Path.Combine(folder, $"outer-{f}", "final", "split.json"));
            Assert.Equal(Path.Combine(folder, $"outer-{f}", "final"), o["run"]!.GetValue<string>());
            allTested.AddRange(final.Test);
            var speakers = o["test_speakers"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
            Assert.Equal(2, speakers.Count);
            foreach (var innerRun in Directory.GetDirectories(Path.Combine(folder, $"outer-{f}"), "inner-*", SearchOption.AllDirectories))
            {
                var split = SplitManifest.Read(Path.Combine(innerRun, "split.json"));
                Assert.Empty(split.Train.Concat(split.Validation).Concat(split.Test).Intersect(final.Test));
                Assert.NotEmpty(split.Test);
                Assert.All(speakers, s => Assert.Contains(s, File.ReadAllText(Path.Combine(innerRun, "config.yaml"))));
            }
            Assert.Equal(2 * 2, Directory.GetDirectories(Path.Combine(folder, $"outer-{f}"), "inner-*", SearchOption.AllDirectories).Length);
            // The outer run trained the chosen candidate's settings.
            Assert.Contains("lr: 0.01", File.ReadAllText(Path.Combine(folder, $"outer-{f}", "final", "config.yaml")));
        }
        // Every clip of the corpus is tested once by an outer fold.
        Assert.Equal(allTested.Count, allTested.Distinct().Count());
        Assert.Equal(6 * 15, allTested.Count);
        // The estimate is the mean over the outer folds' test metrics, with a t-interval, also written as a cv folder.
        var accuracies = outer.Select(o => o!["balanced_accuracy"]!.GetValue<double>()).ToArray();
        var estimate = json["estimate"]!["balanced_accuracy"]!;
        Assert.Equal(accuracies.Average(), estimate["mean"]!.GetValue<double>(), 12);
        Assert.True(estimate["ci95_low"]!.GetValue<double>() < estimate["mean"]!.GetValue<double>());
        var cv = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "cv.json")))!;
        Assert.Equal(accuracies.Average(), cv["balanced_accuracy"]!["mean"]!.GetValue<double>(), 12);
        Assert.Equal(90, cv["pooled"]!["items"]!.GetValue<int>());
        var md = File.ReadAllText(Path.Combine(folder, "nested_cv.md"));
        Assert.Contains("| c1 | `training.optimizer.lr=0.01` | 3 |", md);

        // Same config and seed again, into another folder: the same inner scores, choices and outer metrics.
        var runsB = Path.Combine(dir, "runs-b");
        Ok(TrainOptionEffectTests.Exec("cv", "--config", Config(runsB), "--nested"));
        var again = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(runsB), "nested_cv.json")))!;
        static string Numbers(JsonNode n) => n["outer"]!.ToJsonString().Replace(Path.DirectorySeparatorChar.ToString(), "/") is var s
            ? System.Text.RegularExpressions.Regex.Replace(s, "\"run\":\"[^\"]*\"", "") : "";
        Assert.Equal(Numbers(json), Numbers(again));
        Assert.Equal(json["estimate"]!.ToJsonString(), again["estimate"]!.ToJsonString());

        // --resume on a finished nested cv keeps every run and writes the same result.
        var resumed = Ok(TrainOptionEffectTests.Exec("cv", "--config", Config(runs), "--nested", "--resume", folder));
        Assert.Equal(3 * (2 * 2 + 1), resumed.Out.Split('\n').Count(l => l.Contains("finished before, kept")));
        Assert.Equal(json["estimate"]!.ToJsonString(), JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "nested_cv.json")))!["estimate"]!.ToJsonString());
    }

    [Fact]
    public void NestedCvRefusesWhatItCannotHonour()
    {
        var runs = Path.Combine(dir, "runs-refused");
        // Every refusal comes before the corpus is read: an empty folder stands for it.
        var empty = Directory.CreateDirectory(Path.Combine(dir, "empty")).FullName;
        string Refused(string candidates = "[{}, {training.optimizer.lr: 0.01}]") => Config(runs, candidates, empty);
        // A candidate may not choose the split: the nested protocol draws it.
        var split = TrainOptionEffectTests.Exec("cv", "--config", Refused("[{data.split.folds: 4}, {}]"), "--nested");
        Assert.Equal(2, split.Code);
        Assert.Contains("nested_cv.candidates[0].data.split.folds", split.Err);
        // One candidate is no choice.
        var one = TrainOptionEffectTests.Exec("cv", "--config", Refused("[{}]"), "--nested");
        Assert.Equal(2, one.Code);
        Assert.Contains("at least 2", one.Err);
        // A candidate value the config refuses is named at its candidate before any training.
        var bad = TrainOptionEffectTests.Exec("cv", "--config", Refused("[{}, {training.epochs: -1}]"), "--nested");
        Assert.Equal(2, bad.Code);
        Assert.Contains("nested_cv.candidates[1]", bad.Err);
        Assert.Contains("training.epochs", bad.Err);
        // Folds by speaker, locally.
        Assert.Equal(2, TrainOptionEffectTests.Exec("cv", "--config", Refused(), "--nested", "--protocol", "stratified").Code);
        Assert.Equal(2, TrainOptionEffectTests.Exec("cv", "--config", Refused(), "--nested", "--backend", "slurm").Code);
        // Without a nested_cv section there is nothing to choose among.
        var plain = Refused();
        File.WriteAllText(plain, File.ReadAllText(plain)[..File.ReadAllText(plain).IndexOf("nested_cv:", StringComparison.Ordinal)]);
        var none = TrainOptionEffectTests.Exec("cv", "--config", plain, "--nested");
        Assert.Equal(2, none.Code);
        Assert.Contains("nested_cv", none.Err);
        Assert.False(Directory.Exists(Path.Combine(runs, "nested")));
    }
}
