using System.Text.Json.Nodes;
using AverLab.Data.Synthetic;
using AverLab.IO;
using AverLab.Predict;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

namespace AverLab.Inference.Tests;

/// <summary>A small fer_vgg (features.kind pixels) trained one epoch on the synthetic FER CSV, packaged twice: full
/// precision into models/fer-face, float16 into half/fer-face-half.</summary>
public sealed class PackageFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("averlab-pkg-").FullName;
    public string Run { get; }
    public string Models => Path.Combine(Root, "models");
    public string Full => Path.Combine(Models, "fer-face");
    public string Half => Path.Combine(Root, "half", "fer-face-half");
    public PackageResult HalfResult { get; }

    public PackageFixture()
    {
        SyntheticCorpus.Generate(Path.Combine(Root, "corpus"), new SyntheticCorpusOptions
        {
            Seed = 3, Actors = 1, AllCombinations = false, Video = false, FerPerClass = 40,
        });
        var yaml = $$"""
            name: pkg_face
            seed: 1
            data:
              corpus: fer2013
              root: {{Path.Combine(Root, "corpus", "fer2013", "fer2013.csv")}}
              modality: image
              labels: native
              split: {protocol: usage}
            features: {kind: pixels, image_size: 48, grayscale: true}
            model:
              name: fer_vgg
              params: {channels: [8, 16], convs_per_stage: 1, hidden_size: 32, dropout: 0.1}
            training:
              epochs: 2
              batch_size: 32
              threads: 2
            output: {root: {{Path.Combine(Root, "runs")}}}
            """;
        Run = ExperimentRunner.Run(ConfigLoader.FromText(yaml, "pkg_face.yaml"), new RunOptions { BootstrapSamples = 200 }).Folder.Path;
        File.WriteAllText(Path.Combine(Root, "card.md"), "## Licence\n\nTest licence text.\n");
        ModelPackager.Package(Run, Full, new PackageOptions { CardTemplate = Path.Combine(Root, "card.md") });
        HalfResult = ModelPackager.Package(Run, Half, new PackageOptions { Half = true });
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

public sealed class ModelPackageTests(PackageFixture fx) : IClassFixture<PackageFixture>
{
    private const string Messi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"; // Debian opencv-doc (scripts/setup.sh)

    /// <summary>Fixed inputs: seeded [1, 48, 48] images in [0, 1].</summary>
    private static IEnumerable<float[]> Inputs()
    {
        var rng = new Random(5);
        for (var i = 0; i < 6; i++) yield return Enumerable.Range(0, 48 * 48).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Fact]
    public void PackageHoldsTheModelWeightsTheCardAndTheRunsRecords()
    {
        foreach (var f in new[] { "model.json", "weights.safetensors", "metrics.json", "config.yaml", "run.json", "split.json", "report.html", "README.md", "package.json" })
            Assert.True(File.Exists(Path.Combine(fx.Full, f)), f);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(fx.Full, "plots"), "*.png"));
        Assert.False(Directory.Exists(Path.Combine(fx.Full, "checkpoints")));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(fx.Full)!, ".*")); // no temp folder left behind
        Assert.Equal("weights.safetensors", JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Full, "model.json")))!["checkpoint"]!.GetValue<string>());
        // Model weights only, as in the best checkpoint (no optimizer state), at full precision.
        var (weights, _) = SafeTensors.ReadRaw(Path.Combine(fx.Full, "weights.safetensors"));
        var (best, _) = SafeTensors.ReadRaw(Path.Combine(fx.Run, "checkpoints", "best.safetensors"));
        Assert.Equal(best.Keys.Order(), weights.Keys.Order());
        foreach (var (k, e) in best) Assert.Equal(e.Data, weights[k].Data);
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Full, "package.json")))!;
        Assert.Equal(fx.Run, package["source_run"]!.GetValue<string>());
        Assert.False(package["half"]!.GetValue<bool>());
        Assert.Null(package["agreement"]);
        var size = package["size_bytes"]!.GetValue<long>();
        Assert.InRange(size, 1, 25L * 1024 * 1024);
        Assert.NotNull(package["git_commit"]);
        Assert.NotNull(package["packaged_utc"]);
        var readme = File.ReadAllText(Path.Combine(fx.Full, "README.md"));
        var test = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Run, "metrics.json")))!["test"]!;
        var acc = test["accuracy"]!.GetValue<double>().ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"| accuracy | {acc} [", readme);
        Assert.Contains("| class | precision | recall | F1 | support |", readme);
        Assert.Contains("| happy |", readme);
        Assert.Contains("training wall time:", readme);
        Assert.Contains("Test licence text.", readme);
    }

    [Fact]
    public void FullPackagePredictsExactlyAsTheRun()
    {
        using var run = Predictor.Load(fx.Run);
        using var package = Predictor.Load(fx.Full);
        foreach (var x in Inputs())
            Assert.Equal(run.Predict(x, [1, 48, 48]), package.Predict(x, [1, 48, 48]));
    }

    [Fact]
    public void HalfPackageStoresFloat16LoadsAsFloat32AndRecordsItsAgreement()
    {
        var (weights, _) = SafeTensors.ReadRaw(Path.Combine(fx.Half, "weights.safetensors"));
        Assert.Contains(weights.Values, e => e.Dtype == "F16");
        Assert.DoesNotContain(weights.Values, e => e.Dtype == "F32");
        Assert.Contains(weights.Values, e => e.Dtype == "I64"); // BatchNorm's num_batches_tracked stays an integer
        Assert.True(new FileInfo(Path.Combine(fx.Half, "weights.safetensors")).Length < new FileInfo(Path.Combine(fx.Full, "weights.safetensors")).Length * 0.6);
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Half, "package.json")))!;
        Assert.True(package["half"]!.GetValue<bool>());
        var agreement = package["agreement"]!;
        Assert.Equal("validation", agreement["split"]!.GetValue<string>());
        Assert.True(agreement["items"]!.GetValue<int>() > 0);
        Assert.InRange(agreement["fraction"]!.GetValue<double>(), ModelPackager.MinAgreement, 1);
        Assert.Equal(Math.Round(fx.HalfResult.Agreement!.Value, 6), agreement["fraction"]!.GetValue<double>());
        Assert.Contains("float16 check", File.ReadAllText(Path.Combine(fx.Half, "README.md")));
        using var full = Predictor.Load(fx.Full);
        using var half = Predictor.Load(fx.Half);
        foreach (var x in Inputs())
        {
            var (a, b) = (full.Predict(x, [1, 48, 48]), half.Predict(x, [1, 48, 48]));
            for (var i = 0; i < a.Length; i++) Assert.InRange(Math.Abs(a[i] - b[i]), 0, 1e-3);
        }
    }

    [Fact]
    public void PackagingRefusesUnfinishedRunsAndExistingFolders()
    {
        var copy = Path.Combine(fx.Root, "unfinished");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(fx.Run, "config.yaml"), Path.Combine(copy, "config.yaml"));
        File.Copy(Path.Combine(fx.Run, "model.json"), Path.Combine(copy, "model.json"));
        var e = Assert.Throws<InvalidOperationException>(() => ModelPackager.Package(copy, Path.Combine(fx.Root, "out1"), new PackageOptions()));
        Assert.Contains("not a finished run (no metrics.json)", e.Message);
        File.Copy(Path.Combine(fx.Run, "metrics.json"), Path.Combine(copy, "metrics.json"));
        e = Assert.Throws<InvalidOperationException>(() => ModelPackager.Package(copy, Path.Combine(fx.Root, "out1"), new PackageOptions()));
        Assert.Contains("no best checkpoint", e.Message);
        Assert.Throws<IOException>(() => ModelPackager.Package(fx.Run, fx.Full, new PackageOptions()));
        Assert.Throws<DirectoryNotFoundException>(() => ModelPackager.Package(Path.Combine(fx.Root, "nope"), Path.Combine(fx.Root, "out2"), new PackageOptions()));
        Assert.False(Directory.Exists(Path.Combine(fx.Root, "out1")));
    }

    [Fact]
    public void ForceReplacesAPackageAndLeavesNoTempFolder()
    {
        var parent = Directory.CreateTempSubdirectory("averlab-pkg-force-").FullName;
        try
        {
            var target = Path.Combine(parent, "p");
            ModelPackager.Package(fx.Run, target, new PackageOptions());
            File.WriteAllText(Path.Combine(target, "stale.txt"), "from before");
            ModelPackager.Package(fx.Run, target, new PackageOptions { Force = true });
            Assert.False(File.Exists(Path.Combine(target, "stale.txt")));
            Assert.True(File.Exists(Path.Combine(target, "weights.safetensors")));
            Assert.Equal(["p"], Directory.GetDirectories(parent).Select(Path.GetFileName));
            // Above --max-mb: refused, nothing written.
            var e = Assert.Throws<InvalidOperationException>(() => ModelPackager.Package(fx.Run, Path.Combine(parent, "big"), new PackageOptions { MaxBytes = 1000 }));
            Assert.Contains("above the", e.Message);
            Assert.Equal(["p"], Directory.GetDirectories(parent).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    /// <summary>Runs the CLI with AVERLAB_MODELS set, capturing stdout and stderr.</summary>
    private static (int code, string stdout, string stderr) Predict(string? models, params string[] args)
    {
        var (oldOut, oldErr, oldEnv) = (Console.Out, Console.Error, Environment.GetEnvironmentVariable(ModelPackages.EnvironmentVariable));
        var (o, e) = (new StringWriter(), new StringWriter());
        try
        {
            Environment.SetEnvironmentVariable(ModelPackages.EnvironmentVariable, models);
            Console.SetOut(o);
            Console.SetError(e);
            var code = PredictCli.Run(args);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Environment.SetEnvironmentVariable(ModelPackages.EnvironmentVariable, oldEnv);
        }
    }

    [Fact]
    public void PredictWithoutAModelUsesTheInstalledFacePackage()
    {
        var dir = Directory.CreateTempSubdirectory("averlab-pkg-predict-").FullName;
        try
        {
            var (code, _, err) = Predict(fx.Models, Messi, "--out", Path.Combine(dir, "default.json"));
            Assert.True(code == PredictCli.Ok, err);
            Assert.Contains($"model package: fer-face ({fx.Full}, from {ModelPackages.EnvironmentVariable})", err);
            var (code2, _, err2) = Predict(null, Messi, "--model", fx.Full, "--out", Path.Combine(dir, "explicit.json"));
            Assert.True(code2 == PredictCli.Ok, err2);
            var a = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "default.json")))!;
            var b = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "explicit.json")))!;
            Assert.False(a["no_face"]!.GetValue<bool>());
            Assert.Equal(b["overall"]!.ToJsonString(), a["overall"]!.ToJsonString());
            Assert.Equal(b["faces"]!.ToJsonString(), a["faces"]!.ToJsonString());
            Assert.Contains(fx.Full, a["models"]![0]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void PixelsModelSeesFersTightGray48Crops()
    {
        // The face path crops a pixels model's faces as FER2013's rows: 48x48 gray in [0, 1] with a 10 % margin.
        var card = AverLab.FrontEnds.ModelCard.Load(Path.Combine(fx.Full, "model.json"));
        card.Features.ImageSize = 64; // image_size does not matter to a pixels model: FER's rows are 48x48
        Assert.Equal(48, AverLab.FrontEnds.FaceCrops.SizeOf(card.Features));
        Assert.Equal(AverLab.FrontEnds.FaceCrops.PixelsMargin, AverLab.FrontEnds.FaceCrops.MarginOf(card.Features));
        var image = AverLab.Media.Images.ImageCodec.Load(Messi);
        var gray = image.ToGray();
        var box = new AverLab.Media.Faces.FaceBox(200, 60, 40, 40);
        var crop = AverLab.FrontEnds.FaceCrops.Crop(image, gray, box, card.Features);
        Assert.Equal(48 * 48, crop.Length);
        Assert.All(crop, v => Assert.InRange(v, 0f, 1f));
        var expected = AverLab.Media.Faces.SquareCrop.Around(gray, box, 48, 0.1).ToFloats();
        Assert.Equal(expected, crop);
    }

    [Fact]
    public void ListModelsShowsEachPackageWithItsAccuracy()
    {
        var (code, output, err) = Predict(fx.Models, "--list-models");
        Assert.True(code == PredictCli.Ok, err);
        var acc = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Full, "metrics.json")))!["test"]!["accuracy"]!.GetValue<double>();
        var line = output.Split('\n').Single(l => l.StartsWith("fer-face ", StringComparison.Ordinal));
        Assert.Contains("fer_vgg", line);
        Assert.Contains("faces", line);
        Assert.Contains("Fer2013", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"accuracy {acc.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} [", line);
        Assert.Contains(ModelPackages.EnvironmentVariable, line);
        Assert.Contains(fx.Full, line);
    }

    [Fact]
    public void DamagedPackagesAreOneLineErrorsNamingTheFolder()
    {
        var models = Directory.CreateTempSubdirectory("averlab-pkg-damaged-").FullName;
        try
        {
            var pkg = Path.Combine(models, "broken");
            void Fresh()
            {
                if (Directory.Exists(pkg)) Directory.Delete(pkg, recursive: true);
                Directory.CreateDirectory(Path.Combine(pkg, "plots"));
                foreach (var f in Directory.GetFiles(fx.Full)) File.Copy(f, Path.Combine(pkg, Path.GetFileName(f)));
            }
            void ExpectError(string what, params string[] args)
            {
                var (code, _, err) = Predict(models, args.Length == 0 ? [Messi] : args);
                Assert.Equal(PredictCli.Usage, code);
                var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var line = Assert.Single(lines, l => l.Contains("error"));
                Assert.Contains(pkg, line);
                Assert.Contains(what, line);
                Assert.DoesNotContain("   at ", err);
            }
            Fresh();
            File.Delete(Path.Combine(pkg, "weights.safetensors"));
            ExpectError("weights.safetensors (its weights) is missing");
            ExpectError("weights.safetensors (its weights) is missing", "--list-models");
            Fresh();
            File.WriteAllText(Path.Combine(pkg, "model.json"), "{ not json");
            ExpectError("model.json cannot be read");
            Fresh();
            File.Delete(Path.Combine(pkg, "model.json"));
            ExpectError("model.json is missing");
            Fresh();
            // Weights of another shape: the first tensor gets an extra row.
            var (entries, meta) = SafeTensors.ReadRaw(Path.Combine(pkg, "weights.safetensors"));
            var (key, e) = entries.First(kv => kv.Value.Shape.Length == 4);
            entries[key] = new SafeTensorEntry(e.Dtype, [e.Shape[0] + 1, .. e.Shape[1..]], [.. e.Data, .. e.Data.AsSpan(0, e.Data.Length / (int)e.Shape[0])]);
            SafeTensors.WriteRaw(Path.Combine(pkg, "weights.safetensors"), entries, meta);
            ExpectError("size mismatch");
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [Fact]
    public void WithoutAnyPackageTheErrorNamesBothLookupPlaces()
    {
        var repo = ModelPackages.RepoModelsDir();
        if (ModelPackages.Find(ModelPackages.Locations(null, repo)).Count > 0) return; // the checkout ships packages: nothing to miss
        var empty = Directory.CreateTempSubdirectory("averlab-pkg-empty-").FullName;
        try
        {
            var (code, _, err) = Predict(empty, Messi);
            Assert.Equal(PredictCli.Usage, code);
            Assert.Contains("no --model given and no installed model package is a face model", err);
            Assert.Contains(empty, err);
            Assert.Contains(repo ?? "no AverLab.sln above", err);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void RepoModelsAreFoundByWalkingUpToTheSolution()
    {
        var root = Directory.CreateTempSubdirectory("averlab-pkg-repo-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "AverLab.sln"), "");
            var deep = Directory.CreateDirectory(Path.Combine(root, "src", "Predict", "bin")).FullName;
            Assert.Equal(Path.Combine(root, "models"), ModelPackages.RepoModelsDir(deep));
            var locations = ModelPackages.Locations(fx.Models, Path.Combine(root, "models"));
            Assert.Equal([ModelPackages.EnvironmentVariable, "repo"], locations.Select(l => l.Origin));
            Directory.CreateDirectory(Path.Combine(root, "models"));
            CopyDir(fx.Half, Path.Combine(root, "models", "a-half"));
            var found = ModelPackages.Find(locations);
            Assert.Equal(["fer-face", "a-half"], found.Select(p => p.Name)); // AVERLAB_MODELS first, then the repo's
            Assert.Equal("repo", found[1].Origin);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void CopyDir(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyDir(d, Path.Combine(to, Path.GetFileName(d)));
    }
}
