using System.Globalization;
using System.Text.Json.Nodes;
using AverLab.Data.Synthetic;
using AverLab.Tests.Support;

namespace AverLab.Train.Tests.Cluster;

/// <summary>training.distributed: mpi under mpirun -np 2 on loopback, against one process with the same global batch.
/// The model has no dropout and no batch norm, so the two layouts compute the same gradients up to the order of
/// float additions (each rank's share of the batch mean, then the all-reduce's sum): losses agree to 1e-5 relative
/// and the test metrics exactly. A 2-rank run killed inside epoch 2 and resumed under mpirun ends the same.</summary>
[Trait("Category", Category.Cluster)]
public sealed class MpiTrainingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-mpi-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private static string[] History(string run) => File.ReadAllLines(Path.Combine(run, "history.csv"));

    private static void AssertSameHistory(string expectedRun, string actualRun)
    {
        var expected = History(expectedRun);
        var actual = History(actualRun);
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected[0], actual[0]);
        var columns = expected[0].Split(',');
        for (var i = 1; i < expected.Length; i++)
        {
            var e = expected[i].Split(',');
            var a = actual[i].Split(',');
            foreach (var name in new[] { "epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr" })
            {
                var c = Array.IndexOf(columns, name);
                var x = double.Parse(e[c], CultureInfo.InvariantCulture);
                var y = double.Parse(a[c], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(x - y) <= 1e-5 * Math.Max(1, Math.Abs(x)), $"epoch {i} {name}: {x} (one process) vs {y} (2 ranks)");
            }
        }
    }

    private static JsonNode Test(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!["test"]!;

    [MpiFact]
    public void TwoRanksMatchOneProcessAndResumeAfterAKill()
    {
        var corpus = Path.Combine(dir, "corpus");
        SyntheticCorpus.Generate(corpus, new SyntheticCorpusOptions { Seed = 6, Actors = 4, AllCombinations = false, Video = false, FerPerClass = 0 });
        var config = Path.Combine(dir, "mpi.yaml");
        // 120 training items in batches of 10: every batch splits 5 + 5; threads 1 per process.
        File.WriteAllText(config, $$"""
            name: mpi
            seed: 11
            data:
              corpus: ravdess
              root: {{Path.Combine(corpus, "ravdess")}}
              split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
            features: {kind: mfcc, sample_rate: 16000, duration: 1.0, n_fft: 512, hop_length: 160, n_mels: 40}
            model:
              name: feature_mlp
              params: {hidden_sizes: [64, 32], dropout: 0.0}
            training:
              epochs: 3
              batch_size: 10
              threads: 1
              bucket_mb: 0.01
              optimizer: {name: adam, lr: 0.002}
            output: {root: {{Path.Combine(dir, "runs")}}}
            """);
        var (code, output, error) = ClusterTools.Run(ClusterTools.Cli(null, "--config", config, "--set", "name=single"));
        Assert.True(code == 0, output + error);
        var (mpiCode, mpiOut, mpiErr) = ClusterTools.Run(ClusterTools.MpiCli(2, "--config", config, "--set", "name=ranks2", "--set", "training.distributed=mpi"));
        Assert.True(mpiCode == 0, mpiOut + mpiErr);
        Assert.Single(mpiOut.Split('\n'), l => l.StartsWith("run folder:", StringComparison.Ordinal)); // rank 0 alone reports

        var single = Directory.GetDirectories(Path.Combine(dir, "runs", "single")).Single();
        var ranks2 = Directory.GetDirectories(Path.Combine(dir, "runs", "ranks2")).Single();
        AssertSameHistory(single, ranks2);
        foreach (var key in new[] { "accuracy", "macro_f1", "balanced_accuracy", "count" })
            Assert.Equal(Test(single)[key]!.ToJsonString(), Test(ranks2)[key]!.ToJsonString());
        var loss = Test(single)["loss"]!.GetValue<double>();
        Assert.True(Math.Abs(loss - Test(ranks2)["loss"]!.GetValue<double>()) <= 1e-5 * loss);
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(ranks2, "run.json")))!["distributed"]!;
        Assert.Equal(2, run["ranks"]!.GetValue<int>());

        // Killed inside epoch 2 (both ranks block after its first step; the test hook writes the marker), resumed
        // with --resume under mpirun: ends as the uninterrupted 2-rank run.
        var halted = ClusterTools.MpiCli(2, "--config", config, "--set", "name=killed", "--set", "training.distributed=mpi");
        halted.Environment["AVERLAB_TEST_HALT_AT"] = "2:1";
        var killedRoot = Path.Combine(dir, "runs", "killed");
        ClusterTools.KillWhen(halted, () => Directory.Exists(killedRoot)
            && Directory.GetFiles(killedRoot, "halted-for-test", SearchOption.AllDirectories).Length > 0, "epoch 2 batch 1");
        var killed = Directory.GetDirectories(killedRoot).Single();
        Assert.False(File.Exists(Path.Combine(killed, "metrics.json")));
        Assert.Equal(2, History(killed).Length); // epoch 1 only
        var (resumeCode, resumeOut, resumeErr) = ClusterTools.Run(ClusterTools.MpiCli(2, "--resume", killed));
        Assert.True(resumeCode == 0, resumeOut + resumeErr);
        AssertSameHistory(ranks2, killed);
        Assert.Equal(Test(ranks2)["accuracy"]!.ToJsonString(), Test(killed)["accuracy"]!.ToJsonString());
    }
}
