using System.Text.Json.Nodes;
using AverLab.Predict;
using AverLab.Tests.Support;

namespace AverLab.Inference.Tests;

/// <summary>No silent options: every averlab-predict option changes the result it writes, or is refused
/// with exit 2 where it cannot apply. Each case runs the CLI on a synthetic video (audio + a face) with the audio and
/// face runs of the fixture and compares the JSON (or the files written) with the baseline's.</summary>
[Collection("trained run")]
public sealed class PredictOptionEffectTests(TrainedRunFixture fx)
{
    private string Video => Directory.GetFiles(fx.Corpus, "01-01-*.mp4", SearchOption.AllDirectories).Order().First();

    private (int Code, string Json, string Dir) Run(string name, params string[] extra)
    {
        var dir = Path.Combine(fx.Root, "option-effects", name);
        Directory.CreateDirectory(dir);
        var output = Path.Combine(dir, "result.json");
        var code = PredictCli.Run([Video, "--audio-model", fx.Run, "--face-model", fx.FaceRun, "--out", output, .. extra]);
        return (code, File.Exists(output) ? Normalized(File.ReadAllText(output)) : "", dir);
    }

    /// <summary>The result without the fields that name the output's own place.</summary>
    private static string Normalized(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("explanations");
        return node.ToJsonString();
    }

    public static TheoryData<string, string[]> Options() => new()
    {
        { "--mode", ["--mode", "audio"] },
        { "--fps", ["--fps", "1"] },
        { "--window", ["--window", "0.5"] },
        { "--audio-weight", ["--audio-weight", "0.9"] },
    };

    [Theory]
    [MemberData(nameof(Options))]
    [Trait("Category", Category.Slow)]
    public void EachOptionChangesTheResult(string option, string[] args)
    {
        var changed = Run(option.TrimStart('-'), args);
        Assert.Equal(PredictCli.Ok, changed.Code);
        Assert.NotEqual(Baseline(), changed.Json);
    }

    private static readonly Dictionary<string, string> Baselines = [];

    /// <summary>The baseline result, computed twice per fixture: the same options must give the same JSON, or any
    /// option would look effective.</summary>
    private string Baseline()
    {
        lock (Baselines)
        {
            if (Baselines.TryGetValue(fx.Root, out var b)) return b;
            var first = Run("baseline");
            Assert.Equal(PredictCli.Ok, first.Code);
            Assert.Equal(first.Json, Run("baseline-again").Json);
            return Baselines[fx.Root] = first.Json;
        }
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void ExplainWritesHeatmapsAndModelOptionsChooseTheModels()
    {
        // --explain: Grad-CAM PNGs beside the JSON of an image; a video is refused (its faces are not explained).
        const string messi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"; // Debian opencv-doc (scripts/setup.sh)
        string Image(string name, params string[] extra)
        {
            var d = Path.Combine(fx.Root, "option-effects", name);
            Directory.CreateDirectory(d);
            Assert.Equal(PredictCli.Ok, PredictCli.Run([messi, "--model", fx.FaceRun, "--out", Path.Combine(d, "r.json"), .. extra]));
            return d;
        }
        Assert.NotEmpty(Directory.GetFiles(Image("explain", "--explain"), "*.png"));
        Assert.Empty(Directory.GetFiles(Image("no-explain"), "*.png"));
        Assert.Equal(PredictCli.Usage, Run("explain-video", "--explain").Code);

        // --model with the audio run alone analyses the audio track only; with the face run, the faces only.
        var dir = Path.Combine(fx.Root, "option-effects", "model");
        Directory.CreateDirectory(dir);
        string Single(string model, string file)
        {
            Assert.Equal(PredictCli.Ok, PredictCli.Run([Video, "--model", model, "--out", Path.Combine(dir, file)]));
            return File.ReadAllText(Path.Combine(dir, file));
        }
        var audioOnly = JsonNode.Parse(Single(fx.Run, "audio.json"))!;
        var faceOnly = JsonNode.Parse(Single(fx.FaceRun, "face.json"))!;
        Assert.NotEmpty(audioOnly["audio_timeline"]!.AsArray());
        Assert.Empty(audioOnly["face_timeline"]!.AsArray());
        Assert.NotEmpty(faceOnly["face_timeline"]!.AsArray());
        Assert.Empty(faceOnly["audio_timeline"]!.AsArray());
        // Options that cannot apply are refused, not ignored.
        Assert.Equal(PredictCli.Usage, PredictCli.Run([messi, "--model", fx.Run, "--explain"]));
        Assert.Equal(PredictCli.Usage, PredictCli.Run([Video, "--model", fx.Run, "--speaker-clips", fx.Corpus]));
    }
}
