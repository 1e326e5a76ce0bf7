using System.CommandLine;
using System.CommandLine.Help;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AverLab.Data.Synthetic;
using AverLab.Tests.Support;

namespace AverLab.Train.Tests;

/// <summary>A small corpus, a config (MLP on MFCC statistics, two epochs, the best checkpoint kept from epoch 1 so
/// best and last differ) and one run trained through the CLI with --run-dir.</summary>
public sealed class TrainOptionsFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("averlab-train-options-").FullName;
    public string Ravdess => Path.Combine(Dir, "corpus", "ravdess");
    public string Config => Path.Combine(Dir, "opts.yaml");
    public string Run => Path.Combine(Dir, "the-run");
    public (int Code, string Out, string Err) Trained { get; }

    public TrainOptionsFixture()
    {
        SyntheticCorpus.Generate(Path.Combine(Dir, "corpus"), new SyntheticCorpusOptions { Seed = 4, Actors = 4, AllCombinations = false, Video = false, FerPerClass = 0 });
        File.WriteAllText(Config, $$"""
            name: opts
            seed: 3
            data:
              corpus: ravdess
              root: {{Ravdess}}
              split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25, folds: 2}
            features: {kind: mfcc_stats, sample_rate: 16000, duration: 1.0, n_mfcc: 20, n_fft: 512, hop_length: 160, n_mels: 40}
            model:
              name: feature_mlp
              params: {hidden_sizes: [16]}
            training: {epochs: 2, batch_size: 8, threads: 1}
            callbacks: [{name: model_checkpoint, monitor: train_loss, mode: max}]
            output: {root: {{Path.Combine(Dir, "runs")}}}
            search:
              strategy: random
              trials: 3
              space:
                training.optimizer.lr: {loguniform: [0.001, 0.1]}
            """);
        Trained = TrainOptionEffectTests.Exec("--config", Config, "--run-dir", Run);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>No silent options, for averlab-train: every option of every command (enumerated from
/// <see cref="Cli.Build"/>, not typed here) is either shown to change what the command writes against a baseline
/// computed twice and equal, or refused with exit 2 where it does not apply, in a test of this class
/// (<see cref="Proven"/>), or named with the test elsewhere that proves it (<see cref="Elsewhere"/>). A new option in
/// neither list fails <see cref="EveryOptionIsProvenOrListed"/>. The CLI runs as a child process, as a user runs it.</summary>
public sealed class TrainOptionEffectTests(TrainOptionsFixture fx) : IClassFixture<TrainOptionsFixture>
{
    /// <summary>"command --option" → the test of this class that shows its effect (or its refusal).</summary>
    private static readonly Dictionary<string, string> Proven = new()
    {
        ["train --run-dir"] = nameof(RunDirPutsTheRunThere),
        ["train --set"] = nameof(SetAndDryRunChangeWhatIsCheckedAndWritten),
        ["train --dry-run"] = nameof(SetAndDryRunChangeWhatIsCheckedAndWritten),
        ["synth --out"] = nameof(SynthOptionsChangeTheCorpus),
        ["synth --seed"] = nameof(SynthOptionsChangeTheCorpus),
        ["synth --actors"] = nameof(SynthOptionsChangeTheCorpus),
        ["synth --sample-rate"] = nameof(SynthOptionsChangeTheCorpus),
        ["synth --no-video"] = nameof(SynthOptionsChangeTheCorpus),
        ["synth --video-all"] = nameof(SynthOptionsChangeTheCorpus),
        ["synth --fer-per-class"] = nameof(SynthOptionsChangeTheCorpus),
        ["evaluate --run"] = nameof(EvaluateOptionsChangeWhatIsScored),
        ["evaluate --checkpoint"] = nameof(EvaluateOptionsChangeWhatIsScored),
        ["evaluate --data"] = nameof(EvaluateOptionsChangeWhatIsScored),
        ["evaluate --corpus"] = nameof(EvaluateOptionsChangeWhatIsScored),
        ["explain --run"] = nameof(ExplainOptionsChangeTheExplanations),
        ["explain --items"] = nameof(ExplainOptionsChangeTheExplanations),
        ["explain --permutations"] = nameof(ExplainOptionsChangeTheExplanations),
        ["explain --shapley-items"] = nameof(ExplainOptionsChangeTheExplanations),
        ["explain --repeats"] = nameof(ExplainOptionsChangeTheExplanations),
        ["explain --ig-steps"] = nameof(ExplainOptionsChangeTheExplanations),
        ["explain --seed"] = nameof(ExplainOptionsChangeTheExplanations),
        ["explain --checkpoint"] = nameof(ExplainOptionsChangeTheExplanations),
        ["sweep --config"] = nameof(SweepAndCvOptionsChangeTheEmittedJobs),
        ["sweep --set"] = nameof(SweepAndCvOptionsChangeTheEmittedJobs),
        ["sweep --backend"] = nameof(SweepAndCvOptionsChangeTheEmittedJobs),
        ["cv --config"] = nameof(SweepAndCvOptionsChangeTheEmittedJobs),
        ["cv --set"] = nameof(SweepAndCvOptionsChangeTheEmittedJobs),
        ["cv --protocol"] = nameof(SweepAndCvOptionsChangeTheEmittedJobs),
        ["cv --backend"] = nameof(SweepAndCvOptionsChangeTheEmittedJobs),
    };

    /// <summary>"command --option" → "Class.Method" of the test in this assembly that proves it.</summary>
    private static readonly Dictionary<string, string> Elsewhere = new()
    {
        ["train --config"] = "CliTests.BadConfigExitsWithTheConfigsLineAndNoStackTrace",
        ["train --resume"] = "CliTests.RunKilledWithSigkillMidEpochResumesToIdenticalMetrics",
        ["sweep --emit-only"] = "EmitOnlyTests.SweepEmitOnlyWritesAJobArrayWhoseTaskTrainsTheTrial",
        ["sweep --resume"] = "SlurmTests.AshaSweepOnSlurmResumesAfterTheControllerIsKilledAndRunsNoTaskTwice",
        ["cv --emit-only"] = "EmitOnlyTests.EmitOnlyWithoutSlurmIsAUsageError",
        ["cv --resume"] = "SlurmTests.CvOnSlurmResumesAfterAKillAndEqualsTheLocalCv",
        ["cv --nested"] = "NestedCvTests.NestedCvChoosesByInnerFoldsAndEstimatesOnOuterFolds",
        ["package --run"] = "PackageCliTests.PackageARunThenEvaluateThePackageOnAnImageFolder",
        ["package --out"] = "PackageCliTests.PackageARunThenEvaluateThePackageOnAnImageFolder",
        ["package --half"] = "PackageCliTests.PackageARunThenEvaluateThePackageOnAnImageFolder",
        ["package --card-template"] = "PackageCliTests.PackageARunThenEvaluateThePackageOnAnImageFolder",
        ["package --force"] = "PackageCliTests.PackageARunThenEvaluateThePackageOnAnImageFolder",
        ["package --max-mb"] = "PackageCliTests.PackageARunThenEvaluateThePackageOnAnImageFolder",
    };

    private static IEnumerable<string> Options(Command command, string name) =>
        command.Options.Where(o => o is not HelpOption and not VersionOption).Select(o => $"{name} {o.Name}")
            .Concat(command.Subcommands.SelectMany(c => Options(c, c.Name)));

    [Fact]
    public void EveryOptionIsProvenOrListed()
    {
        var all = Options(Cli.Build(), "train").ToHashSet();
        Assert.Equal(42, all.Count); // the count today: a new option must be placed in Proven or Elsewhere
        Assert.Empty(all.Except(Proven.Keys).Except(Elsewhere.Keys));
        Assert.Empty(Proven.Keys.Concat(Elsewhere.Keys).Except(all));
        Assert.Empty(Proven.Keys.Intersect(Elsewhere.Keys));
        // Every test named exists, as a fact or theory.
        var tests = typeof(TrainOptionEffectTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttributes<FactAttribute>().Any()).Select(m => $"{t.Name}.{m.Name}")).ToHashSet();
        Assert.Empty(Proven.Values.Select(m => $"{nameof(TrainOptionEffectTests)}.{m}").Concat(Elsewhere.Values).Except(tests));
    }

    internal static (int Code, string Out, string Err) Exec(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "averlab-train.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    private static (int Code, string Out, string Err) Ok((int Code, string Out, string Err) r) =>
        r.Code == 0 ? r : throw new Xunit.Sdk.XunitException($"exit {r.Code}: {r.Err}");

    /// <summary>Every file under <paramref name="dir"/> (relative name and SHA-256), one per line.</summary>
    private static string Tree(string dir) => string.Join("\n", Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal).Select(f => $"{Path.GetRelativePath(dir, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));

    [Fact]
    public void RunDirPutsTheRunThere()
    {
        Ok(fx.Trained);
        Assert.True(File.Exists(Path.Combine(fx.Run, "metrics.json")));
        Assert.False(Directory.Exists(Path.Combine(fx.Dir, "runs", "opts"))); // not under output.root/name
        Assert.Contains(fx.Run, fx.Trained.Out);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void SetAndDryRunChangeWhatIsCheckedAndWritten()
    {
        var root = Path.Combine(fx.Dir, "dry");
        string[] baseArgs = ["--config", fx.Config, "--set", $"output.root={root}", "--dry-run"];
        var baseline = Ok(Exec(baseArgs)).Out;
        Assert.Equal(baseline, Ok(Exec(baseArgs)).Out);
        Assert.Contains("config ok: opts: feature_mlp on Ravdess", baseline);
        Assert.Contains(", 2 epochs", baseline);
        var set = Ok(Exec([.. baseArgs, "--set", "training.epochs=5"])).Out;
        Assert.Contains(", 5 epochs", set);
        Assert.Contains("epochs: 5", set); // the resolved config printed
        Assert.False(Directory.Exists(root)); // --dry-run wrote nothing
        Ok(Exec("--config", fx.Config, "--set", $"output.root={root}", "--set", "training.epochs=1"));
        Assert.Single(Directory.GetFiles(Path.Combine(root, "opts"), "metrics.json", SearchOption.AllDirectories)); // without it, a run
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void SynthOptionsChangeTheCorpus()
    {
        // The baseline: one actor, one FER face per class, no video; each case replaces one of these or adds one.
        string Synth(string name, params string[] change)
        {
            var outDir = Path.Combine(fx.Dir, "synth", name);
            var args = new List<string> { "synth", "--out", outDir };
            foreach (var (option, value) in new[] { ("--actors", "1"), ("--fer-per-class", "1") })
                if (!change.Contains(option)) args.AddRange([option, value]);
            if (!change.Contains("--video")) args.Add("--no-video");
            args.AddRange(change.Where(c => c != "--video"));
            Ok(Exec([.. args]));
            return outDir;
        }
        var baseline = Tree(Synth("a"));
        Assert.Equal(baseline, Tree(Synth("b")));
        Assert.NotEqual(baseline, Tree(Synth("seed", "--seed", "1")));
        int Wavs(string dir) => Directory.GetFiles(dir, "*.wav", SearchOption.AllDirectories).Length;
        var one = Wavs(Path.Combine(fx.Dir, "synth", "a"));
        Assert.Equal(2 * one, Wavs(Synth("actors", "--actors", "2")));
        var rate = Synth("rate", "--sample-rate", "48000");
        var wav = Directory.GetFiles(rate, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        Assert.Equal(48000, BitConverter.ToInt32(File.ReadAllBytes(wav), 24));
        Assert.Equal(16000, BitConverter.ToInt32(File.ReadAllBytes(Directory.GetFiles(Path.Combine(fx.Dir, "synth", "a"), "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First()), 24));
        int FerRows(string dir) => File.ReadAllLines(Directory.GetFiles(dir, "fer2013.csv", SearchOption.AllDirectories).Single()).Length - 1;
        Assert.Equal(2 * FerRows(Path.Combine(fx.Dir, "synth", "a")), FerRows(Synth("fer", "--fer-per-class", "2")));
        Assert.Empty(Directory.GetFiles(Path.Combine(fx.Dir, "synth", "a"), "*.mp4", SearchOption.AllDirectories));
        Assert.NotEmpty(Directory.GetFiles(Synth("video", "--video"), "*.mp4", SearchOption.AllDirectories)); // without --no-video
        // --video-all (an mp4 per wav: minutes of ffmpeg) is shown refused where it cannot apply, beside --no-video.
        var (code, _, err) = Exec("synth", "--out", Path.Combine(fx.Dir, "synth", "x"), "--no-video", "--video-all");
        Assert.Equal(2, code);
        Assert.Contains("--no-video and --video-all contradict each other", err);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void EvaluateOptionsChangeWhatIsScored()
    {
        Ok(fx.Trained);
        var baseline = Ok(Exec("evaluate", "--run", fx.Run)).Out;
        Assert.Equal(baseline, Ok(Exec("evaluate", "--run", fx.Run)).Out);
        Assert.NotEqual(baseline, Ok(Exec("evaluate", "--run", fx.Run, "--checkpoint", "last")).Out); // best is epoch 1 here
        // --data scores the whole corpus (60 clips), not the 15-clip test split; --corpus reads it as another kind.
        // The "saved:" line names a time-stamped file; the rest is compared.
        static string Scored(string output) => string.Join("\n", output.Split('\n').Where(l => !l.StartsWith("saved:", StringComparison.Ordinal)));
        var cross = Scored(Ok(Exec("evaluate", "--run", fx.Run, "--data", fx.Ravdess)).Out);
        Assert.Contains("60 items scored", cross);
        Assert.Equal(cross, Scored(Ok(Exec("evaluate", "--run", fx.Run, "--data", fx.Ravdess, "--corpus", "ravdess")).Out));
        var asTess = Exec("evaluate", "--run", fx.Run, "--data", fx.Ravdess, "--corpus", "tess");
        Assert.NotEqual((0, cross), (asTess.Code, Scored(asTess.Out)));
        var (code, _, err) = Exec("evaluate", "--run", fx.Run, "--corpus", "tess");
        Assert.Equal(2, code);
        Assert.Contains("--corpus needs --data", err);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void ExplainOptionsChangeTheExplanations()
    {
        Ok(fx.Trained);
        string[] small = ["explain", "--run", fx.Run, "--items", "2", "--permutations", "4", "--shapley-items", "3", "--repeats", "2"];
        JsonObject Explain(params string[] args)
        {
            Ok(Exec(args));
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Run, "explanations", "explanations.json")))!.AsObject();
            json.Remove("figures");
            return json;
        }
        var baseline = Explain(small).ToJsonString();
        Assert.Equal(baseline, Explain(small).ToJsonString());
        var b = JsonNode.Parse(baseline)!;
        var changed = Explain("explain", "--run", fx.Run, "--items", "1", "--permutations", "6", "--shapley-items", "5", "--repeats", "3",
            "--seed", "11", "--checkpoint", "last");
        Assert.Equal(2, b["items"]!.AsArray().Count);
        Assert.Single(changed["items"]!.AsArray());
        Assert.Equal((4, 6), ((int)b["shapley"]!["permutations"]!, (int)changed["shapley"]!["permutations"]!));
        Assert.Equal((3, 5), ((int)b["shapley"]!["summary_items"]!, (int)changed["shapley"]!["summary_items"]!));
        Assert.Equal((2, 3), ((int)b["permutation_importance"]!["repeats"]!, (int)changed["permutation_importance"]!["repeats"]!));
        Assert.Equal((3, 11), ((int)b["seed"]!, (int)changed["seed"]!)); // default: the run's seed
        Assert.Equal(("best", "last"), ((string)b["checkpoint"]!, (string)changed["checkpoint"]!));
        // Integrated gradients are for conv/image models: the MLP refuses --ig-steps rather than ignore it.
        var (code, _, err) = Exec([.. small, "--ig-steps", "8"]);
        Assert.Equal(2, code);
        Assert.Contains("--ig-steps does not apply to feature_mlp", err);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void SweepAndCvOptionsChangeTheEmittedJobs()
    {
        string Array(string folder, string script) =>
            File.ReadAllLines(Directory.GetFiles(folder, script, SearchOption.AllDirectories).Single()).Single(l => l.StartsWith("#SBATCH --array=", StringComparison.Ordinal));
        string Emit(string command, string name, params string[] extra)
        {
            Ok(Exec([command, "--config", fx.Config, "--backend", "slurm", "--emit-only", "--set", $"name={name}", .. extra]));
            return Directory.GetDirectories(Path.Combine(fx.Dir, "runs", name)).Single(); // the config's output.root, --set's name
        }
        // sweep: 3 trials from the config; --set search.trials=2 emits 2; without --backend slurm --emit-only is refused.
        var sweep = Array(Emit("sweep", "sweep-a"), "sweep.sbatch");
        Assert.Equal(sweep, Array(Emit("sweep", "sweep-b"), "sweep.sbatch"));
        Assert.StartsWith("#SBATCH --array=0-2", sweep);
        Assert.StartsWith("#SBATCH --array=0-1", Array(Emit("sweep", "sweep-c", "--set", "search.trials=2"), "sweep.sbatch"));
        Assert.Equal(2, Exec("sweep", "--config", fx.Config, "--emit-only").Code);
        // cv: 2 folds from the config, 4 with --set; --protocol writes its split into every fold's config.
        var cvA = Emit("cv", "cv-a");
        Assert.Equal(Array(cvA, "cv.sbatch"), Array(Emit("cv", "cv-b"), "cv.sbatch"));
        Assert.StartsWith("#SBATCH --array=0-1", Array(cvA, "cv.sbatch"));
        Assert.StartsWith("#SBATCH --array=0-3", Array(Emit("cv", "cv-c", "--set", "data.split.folds=4"), "cv.sbatch"));
        string Protocols(string folder) => string.Join(",", Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), @"\bprotocol: *(\w+)").Select(m => "protocol: " + m.Groups[1].Value)).Distinct());
        Assert.Equal("protocol: speaker_kfold", Protocols(cvA));
        Assert.Equal("protocol: stratified_kfold", Protocols(Emit("cv", "cv-d", "--protocol", "stratified")));
        Assert.Equal(2, Exec("cv", "--config", fx.Config, "--emit-only").Code);
    }
}
