using System.Diagnostics;
using System.Text.Json.Nodes;
using AverLab.Data.Corpora;
using AverLab.Data.Synthetic;
using AverLab.Media.Images;
using AverLab.Tests.Support;

namespace AverLab.Train.Tests;

/// <summary>`package` and `evaluate --run &lt;package&gt;` as a user runs them (child processes): a fer_vgg pixels run
/// trained one epoch on the synthetic FER CSV, packaged, then scored on an image-folder root.</summary>
public sealed class PackageCliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-pkgcli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private static (int code, string stdout, string stderr) Run(params string[] args)
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

    [Fact]
    [Trait("Category", Category.Slow)]
    public void PackageARunThenEvaluateThePackageOnAnImageFolder()
    {
        var corpus = Path.Combine(dir, "corpus");
        SyntheticCorpus.Generate(corpus, new SyntheticCorpusOptions { Seed = 6, Actors = 1, AllCombinations = false, Video = false, FerPerClass = 30 });
        var config = Path.Combine(dir, "fer.yaml");
        File.WriteAllText(config, $$"""
            name: fer
            seed: 2
            data:
              corpus: fer2013
              root: {{Path.Combine(corpus, "fer2013", "fer2013.csv")}}
              modality: image
              labels: native
              split: {protocol: usage}
            features: {kind: pixels, image_size: 48, grayscale: true}
            model:
              name: fer_vgg
              params: {channels: [8, 16], convs_per_stage: 1, hidden_size: 32}
            training:
              epochs: 1
              batch_size: 32
              threads: 1
            output: {root: {{Path.Combine(dir, "runs")}}}
            """);
        var (code, _, err) = Run("--config", config);
        Assert.True(code == 0, err);
        var run = Directory.GetDirectories(Path.Combine(dir, "runs", "fer")).Single();

        var package = Path.Combine(dir, "models", "fer-face");
        var (pc, pout, perr) = Run("package", "--run", run, "--out", package, "--half");
        Assert.True(pc == 0, perr);
        Assert.Contains($"package:    {package}", pout);
        Assert.Contains("precision:  float16; agrees with full precision on", pout);
        Assert.True(File.Exists(Path.Combine(package, "weights.safetensors")));
        Assert.True(JsonNode.Parse(File.ReadAllText(Path.Combine(package, "package.json")))!["half"]!.GetValue<bool>());

        // Again without --force: refused in one line, the package untouched; a folder that is no run: one line.
        var (again, _, againErr) = Run("package", "--run", run, "--out", package);
        Assert.Equal(3, again);
        Assert.StartsWith("error: --out", againErr);
        Assert.Contains("--force replaces it", againErr);
        // --force replaces it (full precision now), with the card template's text in README.md; --max-mb refuses a
        // package larger than the limit.
        var template = Path.Combine(dir, "card.md");
        File.WriteAllText(template, "## Data and licence\nTest licence line 7f3a.\n");
        var (forced, _, forcedErr) = Run("package", "--run", run, "--out", package, "--force", "--card-template", template);
        Assert.True(forced == 0, forcedErr);
        Assert.False(JsonNode.Parse(File.ReadAllText(Path.Combine(package, "package.json")))!["half"]!.GetValue<bool>());
        Assert.Contains("Test licence line 7f3a.", File.ReadAllText(Path.Combine(package, "README.md")));
        var (big, _, bigErr) = Run("package", "--run", run, "--out", Path.Combine(dir, "models", "tiny"), "--max-mb", "0.01");
        Assert.Equal(3, big);
        Assert.Contains("MB limit", bigErr);
        Assert.False(Directory.Exists(Path.Combine(dir, "models", "tiny")));
        var (none, _, noneErr) = Run("package", "--run", Path.Combine(dir, "no-run"), "--out", Path.Combine(dir, "models", "x"));
        Assert.Equal(3, none);
        Assert.Contains("not a run folder (no config.yaml)", noneErr);
        Assert.Single(noneErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // FER2013's image-folder form: <root>/PrivateTest/<emotion>/*.png, the CSV's rows written as PNGs.
        var root = Path.Combine(dir, "fer-images");
        var rows = Fer2013Corpus.ReadCsv(Path.Combine(corpus, "fer2013", "fer2013.csv")).Items.Take(21).ToList();
        foreach (var (item, i) in rows.Select((r, i) => (r, i)))
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, "PrivateTest", item.NativeLabel)).FullName;
            ImageCodec.Save(new GrayImage(48, 48, ((Fer2013Row)item.Details!).Pixels), Path.Combine(folder, $"{i}.png"));
        }
        var (ec, eout, eerr) = Run("evaluate", "--run", package, "--data", root, "--corpus", "fer2013");
        Assert.True(ec == 0, eerr);
        Assert.Contains("accuracy", eout);
        Assert.Contains("21 items scored", eout);
        var saved = Directory.GetFiles(Path.Combine(package, "evaluations"), "fer2013-*.json").Single();
        var json = JsonNode.Parse(File.ReadAllText(saved))!;
        Assert.Equal(21, json["items"]!.GetValue<int>());
        Assert.InRange(json["accuracy"]!.GetValue<double>(), 0, 1);
        Assert.Contains(saved, eout);

        // --checkpoint last has nothing to read in a package.
        var (lc, _, lerr) = Run("evaluate", "--run", package, "--data", root, "--corpus", "fer2013", "--checkpoint", "last");
        Assert.Equal(3, lc);
        Assert.Contains("is a model package with one set of weights", lerr);
    }
}
