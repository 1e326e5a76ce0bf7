using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.Data.Synthetic;
using AverLab.Tests.Support;

namespace AverLab.Train.Tests.Cluster;

/// <summary>Sweeps and cross-validation through search.backend: slurm on a real one-node cluster (LocalSlurm), as a
/// user runs them: the CLI as the controller, job arrays, the controller killed with SIGKILL while tasks are out and
/// resumed, a failing task retried then reported.</summary>
[Collection("slurm")]
[Trait("Category", Category.Cluster)]
public sealed class SlurmTests(LocalSlurm cluster) : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-slurm-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private string Corpus()
    {
        var corpus = Path.Combine(dir, "corpus");
        SyntheticCorpus.Generate(corpus, new SyntheticCorpusOptions { Seed = 3, Actors = 4, AllCombinations = false, Video = false, FerPerClass = 0 });
        return Path.Combine(corpus, "ravdess");
    }

    // A tiny MLP on MFCCs: a task is mostly the CLI starting up.
    private string Config(string name, string root, string search) => $$"""
        name: {{name}}
        seed: 5
        data:
          corpus: ravdess
          root: {{root}}
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25, folds: 3}
        features: {kind: mfcc, sample_rate: 16000, duration: 1.0, n_fft: 512, hop_length: 160, n_mels: 40}
        model:
          name: feature_mlp
          params: {hidden_sizes: [32], dropout: 0.0}
        training:
          epochs: 2
          batch_size: 16
          optimizer: {name: adam, lr: 0.003}
        output: {root: {{Path.Combine(dir, "runs")}}}
        search:
        {{search}}
        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static List<JsonObject> Jsonl(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [SlurmFact]
    public void AshaSweepOnSlurmResumesAfterTheControllerIsKilledAndRunsNoTaskTwice()
    {
        var config = Write("asha.yaml", Config("asha", Corpus(), """
              strategy: asha
              trials: 4
              workers: 2
              reduction_factor: 2
              min_epochs: 1
              metric: val_acc
              backend: slurm
              slurm: {poll_seconds: 0.5, retries: 0, cpus_per_task: 1, time: "00:10:00", memory: 1G}
              space:
                training.optimizer.lr: {loguniform: [0.0005, 0.05]}
            """));
        var sweeps = Path.Combine(dir, "runs", "asha");
        string? Sweep() => Directory.Exists(sweeps) ? Directory.GetDirectories(sweeps, "sweep-*").SingleOrDefault() : null;
        // Killed once the first task has finished and been recorded, while the others are still out on the cluster.
        ClusterTools.KillWhen(ClusterTools.Cli(cluster.Environment, "sweep", "--config", config),
            () => Sweep() is { } s && File.Exists(Path.Combine(s, "jobs.jsonl")) && File.ReadAllLines(Path.Combine(s, "jobs.jsonl")).Length >= 1,
            "the sweep's first task");
        var sweep = Sweep()!;
        var doneAtKill = File.ReadAllLines(Path.Combine(sweep, "jobs.jsonl")).Length;
        Assert.InRange(doneAtKill, 1, 5);

        var (code, output, error) = ClusterTools.Run(ClusterTools.Cli(cluster.Environment, "sweep", "--config", config, "--resume", sweep));
        Assert.True(code == 0, output + error);

        // Every submitted task once, first attempt: nothing ran twice, across the kill.
        var submitted = Jsonl(Path.Combine(sweep, "slurm", "submitted.jsonl"));
        var keys = submitted.Select(s => (string)s["Key"]!).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(submitted, s => Assert.Equal(1, (int)s["Attempt"]!));
        // Four trials at rung 0 (1 epoch); ASHA (eta 2) promoted at least the best of them to rung 1 (2 epochs), and
        // never more than keep = results / 2 at any time allows (3 of 4 at most).
        var jobs = Jsonl(Path.Combine(sweep, "jobs.jsonl"));
        Assert.Equal(keys.Count, jobs.Count);
        var rung0 = jobs.Where(j => (int)j["Rung"]! == 0).ToList();
        var rung1 = jobs.Where(j => (int)j["Rung"]! == 1).ToList();
        Assert.Equal([0, 1, 2, 3], rung0.Select(j => (int)j["Trial"]!).Order());
        Assert.All(rung0, j => Assert.Equal(1, (int)j["Epochs"]!));
        Assert.InRange(rung1.Count, 1, 3);
        Assert.All(rung1, j => Assert.Equal(2, (int)j["Epochs"]!));
        var best0 = rung0.MaxBy(j => (double)j["Metric"]!)!;
        Assert.Contains(rung1, j => (int)j["Trial"]! == (int)best0["Trial"]!);
        // A promoted trial continued from its rung-0 checkpoint in its shared run folder: two epochs in its history.
        foreach (var j in rung1)
            Assert.Equal(3, File.ReadAllLines(Path.Combine(sweep, "trials", $"trial-{(int)j["Trial"]!:D3}", "history.csv")).Length);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(sweep, "results.csv")).Length);
    }

    [SlurmFact]
    public void CvOnSlurmResumesAfterAKillAndEqualsTheLocalCv()
    {
        var root = Corpus();
        var config = Write("cv.yaml", Config("cv", root, """
              backend: slurm
              workers: 2
              slurm: {poll_seconds: 0.5, retries: 0}
            """));
        var cvs = Path.Combine(dir, "runs", "cv");
        string? Cv() => Directory.Exists(cvs) ? Directory.GetDirectories(cvs, "cv-*").SingleOrDefault() : null;
        ClusterTools.KillWhen(ClusterTools.Cli(cluster.Environment, "cv", "--config", config),
            () => Cv() is { } c && File.Exists(Path.Combine(c, "slurm", "submitted.jsonl")), "the cv's submission");
        var cv = Cv()!;
        var (code, output, error) = ClusterTools.Run(ClusterTools.Cli(cluster.Environment, "cv", "--config", config, "--resume", cv));
        Assert.True(code == 0, output + error);
        Assert.Equal(3, Jsonl(Path.Combine(cv, "slurm", "submitted.jsonl")).Count); // the three folds, submitted once

        var (localCode, localOut, localErr) = ClusterTools.Run(ClusterTools.Cli(null, "cv", "--config", config, "--backend", "local", "--set", "name=cv_local"));
        Assert.True(localCode == 0, localOut + localErr);
        var local = Directory.GetDirectories(Path.Combine(dir, "runs", "cv_local"), "cv-*").Single();
        double[] Accuracies(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "cv.json")))!["folds"]!.AsArray()
            .Select(f => (double)f!["accuracy"]!).ToArray();
        var slurm = Accuracies(cv);
        Assert.Equal(3, slurm.Length);
        // Same configs, same seeds, one thread each: the same folds (metrics.json, which the slurm path reads, keeps 12
        // decimals).
        Assert.Equal(Accuracies(local), slurm, (a, b) => Math.Abs(a - b) < 1e-11);
    }

    [SlurmFact]
    public void AFailingTaskIsRetriedThenReported()
    {
        var config = Write("fail.yaml", Config("fail", Corpus(), """
              strategy: random
              trials: 2
              workers: 2
              backend: slurm
              slurm: {poll_seconds: 0.5, retries: 1, setup: ["echo failing on purpose >&2", "exit 7"]}
              space:
                training.optimizer.lr: {loguniform: [0.001, 0.01]}
            """));
        var (code, output, error) = ClusterTools.Run(ClusterTools.Cli(cluster.Environment, "sweep", "--config", config));
        Assert.Equal(3, code);
        Assert.Contains("no trial finished on the cluster", error);
        var sweep = Directory.GetDirectories(Path.Combine(dir, "runs", "fail"), "sweep-*").Single();
        var submitted = Jsonl(Path.Combine(sweep, "slurm", "submitted.jsonl"));
        Assert.Equal(4, submitted.Count); // 2 trials x (first attempt + 1 retry)
        Assert.Equal([1, 1, 2, 2], submitted.Select(s => (int)s["Attempt"]!).Order());
        var failed = JsonSerializer.Deserialize<List<Dictionary<string, string>>>(File.ReadAllText(Path.Combine(sweep, "slurm", "failed.json")))!;
        Assert.Equal(["trial-000.rung0", "trial-001.rung0"], failed.Select(f => f["key"]).Order());
        Assert.All(failed, f => Assert.Equal("2", f["attempts"]));
        Assert.All(failed, f => Assert.Equal("exit 7", f["detail"]));
        Assert.All(failed, f => Assert.Contains("failing on purpose", File.ReadAllText(f["log"])));
    }
}
