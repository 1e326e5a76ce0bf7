using System.Diagnostics;
using AverLab.Data.Synthetic;
using AverLab.Tests.Support;

namespace AverLab.Train.Tests;

/// <summary>The CLI as a user runs it: a child process, exit codes, messages, and a run killed with SIGKILL in the
/// middle of an epoch then resumed with --resume.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private static ProcessStartInfo Cli(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "averlab-train.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    private static (int code, string stdout, string stderr) Run(params string[] args)
    {
        using var p = Process.Start(Cli(args))!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    private string Config(string name, int epochs, string root) => $$"""
        name: {{name}}
        seed: 9
        data:
          corpus: ravdess
          root: {{root}}
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {kind: mfcc, sample_rate: 16000, duration: 1.0, n_fft: 512, hop_length: 160, n_mels: 40}
        model:
          name: audio_cnn_transformer
          params: {transformer_layers: 1}
        training:
          epochs: {{epochs}}
          batch_size: 4
          threads: 1
          optimizer: {name: sgd, lr: 0.01, momentum: 0.8}
        output: {root: {{Path.Combine(dir, "runs")}}}
        """;

    [Fact]
    public void HelpListsEveryCommand()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        foreach (var word in new[] { "--config", "--set", "--resume", "--dry-run", "synth", "sweep", "evaluate", "explain", "cv", "compare", "models" })
            Assert.Contains(word, output);
    }

    [Fact]
    public void ExplainRefusesBadOptionsAndMissingRunsInOneLine()
    {
        var (code, _, err) = Run("explain", "--run", dir, "--permutations", "1");
        Assert.Equal(2, code);
        Assert.StartsWith("usage error: --permutations must be at least 2, got 1", err);
        var (code2, _, err2) = Run("explain", "--run", Path.Combine(dir, "no-such-run"));
        Assert.Equal(3, code2);
        Assert.Contains("not a run folder (no config.yaml)", err2);
        Assert.DoesNotContain("   at ", err2);
    }

    [Fact]
    public void BadConfigExitsWithTheConfigsLineAndNoStackTrace()
    {
        var path = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(path, "name: x\ndata:\n  corpus: ravdess\n  root: .\nmodel:\n  name: audio_cnn_transformer\ntraining:\n  epochz: 3\n");
        var (code, _, err) = Run("--config", path);
        Assert.Equal(2, code);
        Assert.StartsWith($"config error: {path}:8:3: training.epochz: unknown key 'epochz' (did you mean 'epochs'?)", err);
        Assert.DoesNotContain("   at ", err);
        var (code2, _, err2) = Run("--config", Path.Combine(dir, "missing.yaml"));
        Assert.Equal(2, code2);
        Assert.Contains("no such config file", err2);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void SweepWithTwoWorkersRunsTrialsInChildProcesses()
    {
        var corpus = Path.Combine(dir, "corpus-sweep");
        SyntheticCorpus.Generate(corpus, new SyntheticCorpusOptions { Seed = 4, Actors = 4, AllCombinations = false, Video = false, FerPerClass = 0 });
        var config = Path.Combine(dir, "sweep.yaml");
        File.WriteAllText(config, Config("sweep2", 1, Path.Combine(corpus, "ravdess")) + """

            search:
              strategy: random
              trials: 4
              workers: 2
              metric: val_acc
              space:
                training.optimizer.lr: {loguniform: [0.001, 0.05]}
            """);
        var (code, output, err) = Run("sweep", "--config", config);
        Assert.True(code == 0, err);
        var sweep = Directory.GetDirectories(Path.Combine(dir, "runs", "sweep2"), "sweep-*").Single();
        Assert.Equal(4, File.ReadAllLines(Path.Combine(sweep, "jobs.jsonl")).Length);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(sweep, "trials"), "metrics.json", SearchOption.AllDirectories).Length);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(sweep, "trials"), "trial-*.rung0.yaml").Length);
        Assert.Contains("best trial", output);
    }

    [Fact]
    public void AFailedRunNamesItsFolderAndHowToResumeAndLogsTheStack()
    {
        var corpus = Path.Combine(dir, "corpus-fail");
        SyntheticCorpus.Generate(corpus, new SyntheticCorpusOptions { Seed = 2, Actors = 4, AllCombinations = false, Video = false, FerPerClass = 0 });
        var config = Path.Combine(dir, "fail.yaml");
        File.WriteAllText(config, Config("fail", 3, Path.Combine(corpus, "ravdess")));
        // A learning rate that blows the weights up: the loss turns non-finite in epoch 1, after the run folder exists.
        var (code, _, err) = Run("--config", config, "--set", "training.optimizer.lr=10", "--set", "training.optimizer.momentum=0.8");
        Assert.Equal(3, code);
        var run = Directory.GetDirectories(Path.Combine(dir, "runs", "fail")).Single();
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"run {run} failed: the training loss is", err);
        Assert.Contains("no epoch had finished, so there is nothing to resume: start it again", err);
        Assert.Contains($"(full error: {Path.Combine(run, "error.log")})", err);
        Assert.DoesNotContain("   at ", err);
        var log = File.ReadAllText(Path.Combine(run, "error.log"));
        Assert.Contains("NonFiniteLossException", log);
        Assert.Contains("   at AverLab.Training.Loop.Trainer", log);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void RunKilledWithSigkillMidEpochResumesToIdenticalMetrics()
    {
        var corpus = Path.Combine(dir, "corpus");
        SyntheticCorpus.Generate(corpus, new SyntheticCorpusOptions { Seed = 1, Actors = 4, AllCombinations = false, Video = false, FerPerClass = 0 });
        var root = Path.Combine(corpus, "ravdess");
        var config = Path.Combine(dir, "kill.yaml");
        File.WriteAllText(config, Config("kill", 5, root));

        var (code, fullOut, fullErr) = Run("--config", config, "--set", "name=uninterrupted");
        Assert.True(code == 0, fullErr);

        // The trainer blocks after batch 2 of epoch 3 (test hook) and says so with a marker file: the kill lands inside
        // epoch 3 for certain, whatever the machine's speed, and the process is provably alive when it is killed.
        var halt = Cli("--config", config);
        halt.Environment["AVERLAB_TEST_HALT_AT"] = "3:2";
        using (var p = Process.Start(halt)!)
        {
            var runs = Path.Combine(dir, "runs", "kill");
            var deadline = DateTime.UtcNow.AddMinutes(5);
            string? marker = null;
            while (DateTime.UtcNow < deadline && !p.HasExited)
            {
                marker = Directory.Exists(runs) ? Directory.GetFiles(runs, "halted-for-test", SearchOption.AllDirectories).FirstOrDefault() : null;
                if (marker != null) break;
                Thread.Sleep(50);
            }
            Assert.True(marker != null && !p.HasExited, "the run never reached epoch 3 batch 2 alive: " + (p.HasExited ? p.StandardError.ReadToEnd() : "timeout"));
            Assert.Equal(p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(marker).Trim());
            p.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            p.WaitForExit();
        }
        var killedRun = Directory.GetDirectories(Path.Combine(dir, "runs", "kill")).Single();
        Assert.False(File.Exists(Path.Combine(killedRun, "metrics.json")));
        Assert.Equal(2, File.ReadAllLines(Directory.GetFiles(killedRun, "history.csv", SearchOption.AllDirectories).Single()).Length - 1);
        var (rc, _, resumeErr) = Run("--resume", killedRun);
        Assert.True(rc == 0, resumeErr);
        var uninterrupted = Directory.GetDirectories(Path.Combine(dir, "runs", "uninterrupted")).Single();
        Assert.Equal(File.ReadAllText(Path.Combine(uninterrupted, "metrics.json")), File.ReadAllText(Path.Combine(killedRun, "metrics.json")));
        Assert.Contains("run folder:", fullOut);
    }
}
