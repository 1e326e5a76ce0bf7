using System.Diagnostics;
using AverLab.Data.Synthetic;

namespace AverLab.Train.Tests.Cluster;

/// <summary>--emit-only writes the sbatch script a user submits by hand; no cluster needed: the script's resources
/// are checked line by line, and one of its array tasks is run with bash as Slurm would run it.</summary>
public sealed class EmitOnlyTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-emit-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void SweepEmitOnlyWritesAJobArrayWhoseTaskTrainsTheTrial()
    {
        var corpus = Path.Combine(dir, "corpus");
        SyntheticCorpus.Generate(corpus, new SyntheticCorpusOptions { Seed = 2, Actors = 4, AllCombinations = false, Video = false, FerPerClass = 0 });
        var config = Path.Combine(dir, "emit.yaml");
        File.WriteAllText(config, $$"""
            name: emit
            data:
              corpus: ravdess
              root: {{Path.Combine(corpus, "ravdess")}}
              split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
            features: {kind: mfcc, sample_rate: 16000, duration: 1.0, n_fft: 512, hop_length: 160, n_mels: 40}
            model:
              name: feature_mlp
              params: {hidden_sizes: [16], dropout: 0.0}
            training: {epochs: 1, batch_size: 16}
            output: {root: {{Path.Combine(dir, "runs")}}}
            search:
              strategy: grid
              workers: 2
              slurm:
                cpus_per_task: 3
                memory: 6G
                time: "01:30:00"
                partition: gpu-short
                job_name: emotion
                extra: ["--account=lab42", "--qos=low"]
              space:
                training.optimizer.lr: {choice: [0.001, 0.01, 0.1]}
            """);
        var (code, output, error) = ClusterTools.Run(ClusterTools.Cli(null, "sweep", "--config", config, "--backend", "slurm", "--emit-only"));
        Assert.True(code == 0, output + error);
        var sweep = Directory.GetDirectories(Path.Combine(dir, "runs", "emit"), "sweep-*").Single();
        var script = Path.Combine(sweep, "slurm", "sweep.sbatch");
        Assert.Contains($"submit with: sbatch {script}", output);
        var lines = File.ReadAllLines(script);
        foreach (var expected in new[]
                 {
                     "#SBATCH --job-name=emotion", "#SBATCH --array=0-2%2", "#SBATCH --cpus-per-task=3", "#SBATCH --mem=6G",
                     "#SBATCH --time=01:30:00", "#SBATCH --partition=gpu-short", "#SBATCH --account=lab42", "#SBATCH --qos=low",
                 })
            Assert.Contains(expected, lines);
        Assert.Equal(3, lines.Count(l => l.Contains(" run trial-00", StringComparison.Ordinal)));
        Assert.Contains("--set training.threads=3", File.ReadAllText(script));
        Assert.False(File.Exists(Path.Combine(sweep, "slurm", "submitted.jsonl"))); // nothing was submitted

        // Array task 1 as Slurm would start it: trains trial 1 (lr 0.01) into its run folder and records exit 0.
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.Environment["SLURM_ARRAY_TASK_ID"] = "1";
        var (rc, taskOut, taskErr) = ClusterTools.Run(psi);
        Assert.True(rc == 0, taskOut + taskErr);
        Assert.Equal("0", File.ReadAllText(Path.Combine(sweep, "slurm", "status", "trial-001.rung0.1.exit")).Trim());
        Assert.Contains("lr: 0.01", File.ReadAllText(Path.Combine(sweep, "trials", "trial-001", "config.yaml")));
        Assert.True(File.Exists(Path.Combine(sweep, "trials", "trial-001", "metrics.json")));
        Assert.False(Directory.Exists(Path.Combine(sweep, "trials", "trial-000", "checkpoints")));
    }

    [Fact]
    public void EmitOnlyWithoutSlurmIsAUsageError()
    {
        var config = Path.Combine(dir, "cv.yaml");
        File.WriteAllText(config, $"name: cv\ndata: {{corpus: ravdess, root: {dir}}}\nmodel: {{name: feature_mlp}}\n");
        var (code, _, error) = ClusterTools.Run(ClusterTools.Cli(null, "cv", "--config", config, "--emit-only", "--backend", "local"));
        Assert.Equal(2, code);
        Assert.StartsWith("usage error: --emit-only writes an sbatch script: it needs --backend slurm", error);
    }
}
