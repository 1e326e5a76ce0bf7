using AverLab.Data.Synthetic;
using AverLab.FrontEnds;
using AverLab.IO;
using AverLab.Models;
using AverLab.Predict;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Inference.Tests;

/// <summary>The packages shipped in the repository's models/: each loads and, on fixed inputs, gives the class
/// probabilities PyTorch 1.13 computed from the same package files (tests/golden/make_shipped_golden.py).</summary>
public sealed class ShippedPackageTests
{
    private static readonly string Models = ModelPackages.RepoModelsDir() ?? throw new InvalidOperationException("no AverLab.sln above the test folder");

    private static string[] Names() => Directory.GetDirectories(Models).Order(StringComparer.Ordinal)
        .Where(dir => File.Exists(Path.Combine(dir, "package.json"))).Select(dir => Path.GetFileName(dir)).ToArray();

    public static TheoryData<string> Shipped() => new(Names());

    [Fact]
    public void TheRepositoryShipsAFaceAndTwoSpeechPackages()
    {
        Assert.Equal(["fer2013-face", "ravdess-speech", "ravdess-speech-speaker-norm"], Names());
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void ProbabilitiesEqualPyTorchsOnTheSamePackageFiles(string name)
    {
        var folder = Path.Combine(Models, name);
        var golden = Path.Combine(Path.GetDirectoryName(Models)!, "tests", "golden", $"shipped_{name}.safetensors");
        Assert.True(File.Exists(golden), $"{golden} is missing: run tests/golden/make_shipped_golden.py after packaging");
        var (raw, _) = SafeTensors.ReadRaw(golden);
        var inputs = raw["inputs"];
        var expected = raw["probabilities"].ToFloat64();
        var n = (int)inputs.Shape[0];
        var width = inputs.ToFloat32().Length / n;
        var itemShape = inputs.Shape.Skip(1).ToArray();
        var classes = expected.Length / n;
        using var predictor = Predictor.Load(folder);
        var x = inputs.ToFloat32();
        for (var i = 0; i < n; i++)
        {
            var item = x.AsSpan(i * width, width).ToArray();
            var p = predictor.Card.Features.SpeakerNorm ? WithoutSpeakerStatistics(predictor, folder, item, itemShape) : predictor.Predict(item, itemShape);
            for (var c = 0; c < classes; c++)
                Assert.True(Math.Abs(p[c] - expected[i * classes + c]) < 2e-4, $"{name} input {i} class {c}: {p[c]:F6} vs PyTorch {expected[i * classes + c]:F6}");
        }
    }

    /// <summary>A speaker_norm package refuses a clip without its speaker's statistics; its network and the card's own
    /// scaler are compared on inputs taken as already standardized per speaker.</summary>
    private static double[] WithoutSpeakerStatistics(Predictor predictor, string folder, float[] item, long[] shape)
    {
        var e = Assert.Throws<InvalidOperationException>(() => predictor.Predict(item, shape));
        Assert.Contains("--speaker-clips", e.Message);
        var (x, s) = predictor.Card.Transform(item, shape);
        using var model = predictor.Card.CreateModel();
        ModelFile.LoadInto(model, Path.Combine(folder, predictor.Card.Checkpoint));
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return model.call(new ModelInputs { Features = tensor(x, [1, .. s]) }).softmax(1).to(ScalarType.Float64).data<double>().ToArray();
    }

    [Fact]
    public void PredictPicksTheSpeakerNormalisedPackageOnlyWhenSpeakerClipsAreGiven()
    {
        var root = Directory.CreateTempSubdirectory("averlab-shipped-").FullName;
        try
        {
            SyntheticCorpus.Generate(root, new SyntheticCorpusOptions { Seed = 11, Actors = 1, AllCombinations = false, Video = false, FerPerClass = 1 });
            var clips = Directory.GetFiles(Path.Combine(root, "ravdess", "Actor_01"), "*.wav").Order(StringComparer.Ordinal).ToArray();
            Assert.True(clips.Length >= 3);
            var (code, _, err) = Predict(clips[0]);
            Assert.Equal(0, code);
            Assert.Contains($"model package: ravdess-speech ({Path.Combine(Models, "ravdess-speech")}", err);
            (code, _, err) = Predict(clips[0], "--speaker-clips", clips[1], clips[2]);
            Assert.Equal(0, code);
            Assert.Contains($"model package: ravdess-speech-speaker-norm ({Path.Combine(Models, "ravdess-speech-speaker-norm")}", err);
            Assert.Contains("speaker statistics from 2 clips", err);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (int code, string stdout, string stderr) Predict(params string[] args)
    {
        var (oldOut, oldErr, oldEnv) = (Console.Out, Console.Error, Environment.GetEnvironmentVariable(ModelPackages.EnvironmentVariable));
        var (o, e) = (new StringWriter(), new StringWriter());
        try
        {
            Environment.SetEnvironmentVariable(ModelPackages.EnvironmentVariable, null); // the repository's models/ only
            Console.SetOut(o);
            Console.SetError(e);
            return (PredictCli.Run(args), o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Environment.SetEnvironmentVariable(ModelPackages.EnvironmentVariable, oldEnv);
        }
    }
}
