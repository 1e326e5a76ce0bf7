using System.Diagnostics;
using System.Text.Json.Nodes;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.Runs;

namespace AverLab.Training.Tests.Experiments;

/// <summary>Keys that do what they say, --dry-run that refuses what the run refuses and writes nothing, no
/// run folder left by a config the model or the data rejects, resume that keeps the record and clears stale temp files.</summary>
[Collection("pipeline")]
public sealed class HardeningTests(PipelineFixture fx)
{
    private string NewOutput() => Path.Combine(fx.Root, "out-" + Guid.NewGuid().ToString("N")[..8]);

    private ConfigLoader.Loaded Load(string name, string output, params string[] sets) =>
        ConfigLoader.FromText(fx.Config(name, 1), $"{name}.yaml", [.. sets, $"output.root={output}"]);

    [Fact]
    public void TestSpeakersOverrideTheTestFraction()
    {
        var plan = ExperimentData.ReadAndSplit(Load("speakers", NewOutput(), "data.split.test_speakers=[02]").Config);
        var speakerOf = plan.Mapping.Items.ToDictionary(i => i.Item.Id, i => i.Item.Speaker);
        Assert.Equal(["ravdess-02"], plan.Split.Test.Select(id => speakerOf[id]).Distinct());
        Assert.DoesNotContain(plan.Split.Train.Concat(plan.Split.Validation), id => speakerOf[id] == "ravdess-02");
        var bad = Load("speakers", NewOutput(), "data.split.test_speakers=[07]");
        var e = Assert.Throws<ConfigException>(() => DryRun.Check(bad));
        Assert.Equal("--set data.split.test_speakers=[07]: data.split.test_speakers: test speaker '07' is not in the corpus; its speakers: ravdess-01, ravdess-02, ravdess-03, ravdess-04", e.Message);
    }

    [Fact]
    public void DryRunChecksTheWholeChainAndWritesNothing()
    {
        var output = NewOutput();
        var report = DryRun.Check(Load("dry", output));
        Assert.False(Directory.Exists(output), "a dry run must not create the output root");
        var counts = report.Corpus.Counts();
        Assert.Equal(["train", "validation", "test"], counts.Select(c => c.Side));
        Assert.Equal(60, counts.Sum(c => c.PerClass.Sum()));
        Assert.All(counts, c => Assert.Equal(8, c.PerClass.Length));
        Assert.Equal([40, 101], report.FeatureShape);
        Assert.Equal([1, 8], report.OutputShape);
        Assert.True(report.Parameters > 1000);
        var text = report.Describe();
        Assert.Contains("validation", text);
        Assert.Contains("surprised", text);
    }

    /// <summary>heads: 3 with 40 MFCCs: refused by the dry run and by the run, before any run folder exists.</summary>
    [Fact]
    public void ImpossibleModelParamsAreRefusedByDryRunAndRunBeforeAnyFolder()
    {
        var output = NewOutput();
        var loaded = Load("heads", output, "model.params.heads=3");
        var dry = Assert.Throws<ConfigException>(() => DryRun.Check(loaded));
        Assert.StartsWith("heads.yaml:", dry.Message);
        Assert.Contains("model.params: model audio_cnn_transformer cannot be built with these options:", dry.Message);
        Assert.Contains("--set model.params.heads=3", dry.Message);
        var run = Assert.Throws<ConfigException>(() => ExperimentRunner.Run(loaded, new RunOptions { BootstrapSamples = 0 }));
        Assert.Equal(dry.Message, run.Message);
        Assert.False(Directory.Exists(Path.Combine(output, "heads")), "the refused run left a run folder");
    }

    private static string Px(int shift) => string.Join(' ', Enumerable.Range(0, 2304).Select(i => (i + shift) % 256));

    private static string FerConfig(string name, string csv, string output) => $$"""
        name: {{name}}
        data:
          corpus: fer2013
          root: {{csv}}
          modality: image
          labels: native
          split: {protocol: usage}
        features: {kind: pixels, image_size: 48, grayscale: true}
        model: {name: face_resnet}
        training: {epochs: 1, batch_size: 4, threads: 1}
        output:
          root: {{output}}
        """;

    /// <summary>Every FER2013 CSV the run refuses, the dry run refuses too, and neither leaves a run folder: empty,
    /// binary, header-only, and valid rows without a PublicTest row (0 validation items: NaN validation loss before).</summary>
    [Theory]
    [InlineData("empty", "no usable")]
    [InlineData("binary", null)]
    [InlineData("header", "no usable")]
    [InlineData("noval", "0 validation items")]
    public void FerCsvsTheRunRefusesTheDryRunRefuses(string kind, string? expected)
    {
        var dir = Path.Combine(fx.Root, "fer-" + kind);
        Directory.CreateDirectory(dir);
        var csv = Path.Combine(dir, "fer2013.csv");
        var random = new byte[3000];
        new Random(5).NextBytes(random);
        switch (kind)
        {
            case "empty": File.WriteAllBytes(csv, []); break;
            case "binary": File.WriteAllBytes(csv, random); break;
            case "header": File.WriteAllText(csv, "emotion,pixels,Usage\n"); break;
            default:
                File.WriteAllLines(csv, ["emotion,pixels,Usage", .. Enumerable.Range(0, 14).Select(i => $"{i % 7},{Px(i)},{(i < 7 ? "Training" : "PrivateTest")}")]);
                break;
        }
        var output = NewOutput();
        var loaded = ConfigLoader.FromText(FerConfig("fer_" + kind, csv, output), "fer.yaml");
        var dry = Assert.ThrowsAny<Exception>(() => DryRun.Check(loaded));
        var run = Assert.ThrowsAny<Exception>(() => ExperimentRunner.Run(loaded, new RunOptions { BootstrapSamples = 0 }));
        foreach (var e in new[] { dry, run })
        {
            Assert.True(e is InvalidOperationException or InvalidDataException or ConfigException, e.ToString());
            Assert.Contains(csv, e.Message);
            if (expected != null) Assert.Contains(expected, e.Message);
        }
        Assert.Equal(dry.Message, run.Message);
        Assert.False(Directory.Exists(Path.Combine(output, "fer_" + kind)));
    }

    /// <summary>The commit comes from the first given folder inside a checkout, never from the current directory.</summary>
    [Fact]
    public void GitCommitComesFromTheSourceNotTheCurrentDirectory()
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "AverLab.sln"))) repo = Path.GetDirectoryName(repo)!;
        var outside = Directory.CreateTempSubdirectory("averlab-nogit-").FullName;
        try
        {
            var psi = new ProcessStartInfo("git", ["-C", repo, "rev-parse", "HEAD"]) { RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            var head = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            Assert.Equal(head, RunEnvironment.Git([outside, repo]).commit);
            Assert.StartsWith("unknown", RunEnvironment.Git([outside]).commit);
            Assert.Equal(AppContext.BaseDirectory, RunEnvironment.SourceDirectories(Path.Combine(outside, "x.yaml"))[1]);
            Assert.Equal(outside, RunEnvironment.SourceDirectories(Path.Combine(outside, "x.yaml"))[0]);
        }
        finally
        {
            Directory.Delete(outside, true);
        }
    }
}
