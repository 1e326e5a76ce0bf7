using System.Text.Json;
using AverLab.Inference;
using AverLab.Media;
using AverLab.Media.Audio;
using AverLab.Predict;
using AverLab.Tests.Support;

namespace AverLab.Inference.Tests;

[Collection("trained run")]
public sealed class AnalyzerTests(TrainedRunFixture fx)
{
    private static readonly JsonElement Schema =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "result.schema.json"))).RootElement;

    private static void AssertValid(AnalysisResult r)
    {
        var doc = JsonDocument.Parse(JsonSerializer.Serialize(r, PredictCli.Json)).RootElement;
        Assert.Empty(MiniJsonSchema.Validate(Schema, doc));
    }

    private string Wav(string emotion) => Directory.GetFiles(fx.Corpus, $"03-01-{emotion}-*.wav", SearchOption.AllDirectories).Order().First();

    [Fact]
    public void AudioFileGivesAValidResultWithProbabilitiesSummingToOne()
    {
        using var p = Predictor.Load(fx.Run);
        using var a = new Analyzer(p, null);
        var r = a.Analyze(Wav("05"), new AnalysisOptions());
        AssertValid(r);
        Assert.Equal("audio", r.Mode);
        Assert.Equal(8, r.Overall!.Probabilities.Count);
        Assert.Equal(1.0, r.Overall.Probabilities.Values.Sum(), 4);
        Assert.Contains(r.Overall.Emotion, p.Classes);
    }

    [Fact]
    public void LongAudioGetsAWindowTimeline()
    {
        var dir = Path.Combine(fx.Root, "long");
        var clips = new[] { "01", "05", "03" }.Select(e => WavReader.Read(Wav(e)).ToMono()).ToList();
        var joined = clips.SelectMany(c => c.Take(24000)).ToArray(); // 3 x 1.5 s
        var path = Path.Combine(dir, "long.wav");
        WavWriter.Write(path, joined, 16000);
        using var p = Predictor.Load(Path.Combine(fx.Run, "model.json"));
        using var a = new Analyzer(p, null);
        var r = a.Analyze(path, new AnalysisOptions { Window = 1.5 });
        AssertValid(r);
        Assert.Equal(3, r.Timeline.Count);
        Assert.Equal([0.0, 1.5, 3.0], r.Timeline.Select(t => t.Start));
        Assert.Equal(4.5, r.Timeline[^1].End, 3);
    }

    [Fact]
    public void VideoUsesItsAudioTrackAndCombinedNeedsOne()
    {
        var video = Directory.GetFiles(fx.Corpus, "01-01-*.mp4", SearchOption.AllDirectories).Order().First();
        using var p = Predictor.Load(fx.Run);
        using var a = new Analyzer(p, null);
        var r = a.Analyze(video, new AnalysisOptions { Mode = AnalysisMode.Video });
        AssertValid(r);
        Assert.Equal("video", r.Mode);
        Assert.NotEmpty(r.AudioTimeline);
        // A video without an audio track: combined mode is refused with the file's name.
        var silent = Path.Combine(fx.Root, "silent.mp4");
        Ffmpeg.Run("ffmpeg", ["-y", "-loglevel", "error", "-i", video, "-an", "-c:v", "copy", silent], video);
        var e = Assert.Throws<MediaFormatException>(() => a.Analyze(silent, new AnalysisOptions { Mode = AnalysisMode.Combined }));
        Assert.Contains(silent, e.Message);
        Assert.Contains("no audio track", e.Message);
    }

    [Fact]
    public void BadInputsGiveClearErrors()
    {
        using var p = Predictor.Load(fx.Run);
        using var a = new Analyzer(p, null);
        var missing = Path.Combine(fx.Root, "nope.wav");
        Assert.Contains("no such file", Assert.Throws<MediaFormatException>(() => a.Analyze(missing, new AnalysisOptions())).Message);
        var text = Path.Combine(fx.Root, "notes.xyz");
        File.WriteAllText(text, "hello");
        Assert.Contains("unsupported file type", Assert.Throws<MediaFormatException>(() => a.Analyze(text, new AnalysisOptions())).Message);
        var fake = Path.Combine(fx.Root, "fake.wav");
        File.WriteAllText(fake, "not audio at all");
        Assert.Contains(fake, Assert.ThrowsAny<IOException>(() => a.Analyze(fake, new AnalysisOptions())).Message);
        Assert.Contains("needs a face model", Assert.Throws<ArgumentException>(() => a.Analyze(Wav("01"), new AnalysisOptions { Mode = AnalysisMode.Image })).Message);
    }

    [Fact]
    public void CheckpointThatDoesNotMatchItsCardIsRefused()
    {
        var copy = Path.Combine(fx.Root, "mismatch");
        Directory.CreateDirectory(Path.Combine(copy, "checkpoints"));
        File.Copy(Path.Combine(fx.Run, "checkpoints", "best.safetensors"), Path.Combine(copy, "checkpoints", "best.safetensors"), true);
        File.WriteAllText(Path.Combine(copy, "model.json"), File.ReadAllText(Path.Combine(fx.Run, "model.json")).Replace("\"transformer_layers\": 1", "\"transformer_layers\": 2"));
        var e = Assert.Throws<InvalidDataException>(() => Predictor.Load(copy));
        Assert.Contains("state-dict keys do not match the model", e.Message);
        Assert.Contains("key(s) in state_dict", e.Message);
        Assert.DoesNotContain("not a valid safetensors file", e.Message); // a key mismatch is not a broken file
        Assert.DoesNotContain("\n", e.Message);
        var corrupt = Path.Combine(fx.Root, "corrupt");
        Directory.CreateDirectory(Path.Combine(corrupt, "checkpoints"));
        File.Copy(Path.Combine(fx.Run, "model.json"), Path.Combine(corrupt, "model.json"), true);
        File.WriteAllBytes(Path.Combine(corrupt, "checkpoints", "best.safetensors"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.Contains("not a valid safetensors file", Assert.Throws<InvalidDataException>(() => Predictor.Load(corrupt)).Message);
    }

    [Fact]
    public void BatchModeWritesOneJsonPerFileAndGoesOnPastBadOnes()
    {
        var dir = Path.Combine(fx.Root, "batch");
        Directory.CreateDirectory(dir);
        File.Copy(Wav("01"), Path.Combine(dir, "a.wav"), true);
        File.Copy(Wav("04"), Path.Combine(dir, "b.wav"), true);
        File.WriteAllText(Path.Combine(dir, "broken.wav"), "RIFF garbage");
        var outDir = Path.Combine(fx.Root, "batch-out");
        var code = PredictCli.Build().Parse([dir, "--model", fx.Run, "--out", outDir]).Invoke();
        Assert.Equal(PredictCli.SomeFailed, code);
        Assert.True(File.Exists(Path.Combine(outDir, "a.wav.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "b.wav.json")));
        var summary = File.ReadAllLines(Path.Combine(outDir, "summary.csv"));
        Assert.Equal(4, summary.Length);
        Assert.Contains(summary, l => l.Contains("broken.wav") && l.Contains("broken.wav:"));
        foreach (var json in Directory.GetFiles(outDir, "*.json"))
            Assert.Empty(MiniJsonSchema.Validate(Schema, JsonDocument.Parse(File.ReadAllText(json)).RootElement));
    }

    [Fact]
    public void CliExitsNonZeroOnAMissingFileOrModel()
    {
        Assert.Equal(PredictCli.NothingAnalysed, PredictCli.Build().Parse([Path.Combine(fx.Root, "missing.wav"), "--model", fx.Run]).Invoke());
        Assert.Equal(PredictCli.Usage, PredictCli.Build().Parse([Wav("01"), "--model", Path.Combine(fx.Root, "no-run")]).Invoke());
        Assert.Equal(PredictCli.Usage, PredictCli.Run([Wav("01"), "--model", fx.Run, "--fps", "lots"]));
        Assert.Equal(PredictCli.Usage, PredictCli.Run([Wav("01"), "--model", fx.Run, "--audio-weight", "1.5"]));
        // No --model: the repository's shipped speech package (models/ravdess-speech) answers.
        Assert.Equal(PredictCli.Ok, PredictCli.Run([Wav("01"), "--out", Path.Combine(fx.Root, "default.json")]));
        Assert.Equal(PredictCli.Ok, PredictCli.Run([Wav("01"), "--model", fx.Run, "--out", Path.Combine(fx.Root, "one.json")]));
    }

    /// <summary>A video without an audio track and only an audio model is one file's error, and the batch still
    /// finishes with summary.csv.</summary>
    [Fact]
    public void VideoWithoutAudioAndOnlyAnAudioModelIsOneFilesError()
    {
        var video = Directory.GetFiles(fx.Corpus, "01-01-*.mp4", SearchOption.AllDirectories).Order().First();
        var dir = Path.Combine(fx.Root, "batch-silent");
        Directory.CreateDirectory(dir);
        var silent = Path.Combine(dir, "a-silent.mp4");
        Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-y", "-loglevel", "error", "-i", video, "-an", "-c:v", "copy", silent], video);
        File.Copy(Wav("03"), Path.Combine(dir, "b.wav"), true);
        using (var p = Predictor.Load(fx.Run))
        using (var a = new Analyzer(p, null))
        {
            var e = Assert.Throws<MediaFormatException>(() => a.Analyze(silent, new AnalysisOptions()));
            Assert.Contains(silent, e.Message);
            Assert.Contains("no audio track", e.Message);
        }
        foreach (var option in new[] { "--model", "--audio-model" })
        {
            var outDir = Path.Combine(fx.Root, "batch-silent-out" + option);
            Assert.Equal(PredictCli.SomeFailed, PredictCli.Build().Parse([dir, option, fx.Run, "--out", outDir]).Invoke());
            var summary = File.ReadAllLines(Path.Combine(outDir, "summary.csv"));
            Assert.Equal(3, summary.Length);
            Assert.Contains(summary, l => l.StartsWith(silent, StringComparison.Ordinal) && l.Contains("no audio track"));
            Assert.True(File.Exists(Path.Combine(outDir, "b.wav.json")));
        }
        Assert.Equal(PredictCli.NothingAnalysed, PredictCli.Build().Parse([silent, "--audio-model", fx.Run]).Invoke());
    }

    [Fact]
    public void EmptyFolderAndAllFailedBatchesExitThreeWithASummary()
    {
        var empty = Path.Combine(fx.Root, "batch-empty");
        Directory.CreateDirectory(empty);
        Assert.Equal(PredictCli.NothingAnalysed, PredictCli.Build().Parse([empty, "--model", fx.Run]).Invoke());
        Assert.Equal(["file,mode,emotion,confidence,error"], File.ReadAllLines(Path.Combine(empty, "averlab-results", "summary.csv")));
        var bad = Path.Combine(fx.Root, "batch-bad");
        Directory.CreateDirectory(bad);
        File.WriteAllText(Path.Combine(bad, "x.wav"), "RIFF nonsense");
        File.WriteAllBytes(Path.Combine(bad, "y.jpg"), [0xFF, 0xD8, 0xFF, 1, 2, 3]);
        Assert.Equal(PredictCli.NothingAnalysed, PredictCli.Build().Parse([bad, "--model", fx.Run]).Invoke());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(bad, "averlab-results", "summary.csv")).Length);
    }

    private const string Messi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"; // Debian opencv-doc (scripts/setup.sh)

    [Fact]
    public void ImageGivesEveryFaceWithBoxAndGradCamHeatmaps()
    {
        using var p = Predictor.Load(fx.FaceRun);
        using var a = new Analyzer(null, p);
        var dir = Path.Combine(fx.Root, "explain");
        var r = a.Analyze(Messi, new AnalysisOptions { ExplainDir = dir });
        AssertValid(r);
        Assert.Equal("image", r.Mode);
        Assert.False(r.NoFace);
        Assert.NotEmpty(r.Faces);
        foreach (var f in r.Faces)
        {
            Assert.True(f.Width > 20 && f.Height > 20);
            var heat = AverLab.Media.Images.ImageCodec.Load(f.Heatmap!);
            Assert.Equal(48, heat.Width);
            // The overlay differs from the plain crop somewhere: the heatmap is not empty.
            Assert.Contains(Enumerable.Range(0, 48 * 48), i => heat.Pixels[3 * i] != heat.Pixels[3 * i + 1]);
        }
    }

    [Fact]
    public void ImageWithoutAFaceSaysSo()
    {
        var path = Path.Combine(fx.Root, "gradient.png");
        var img = new AverLab.Media.Images.RgbImage(120, 90);
        for (var i = 0; i < img.Pixels.Length; i++) img.Pixels[i] = (byte)(i % 360 / 2);
        AverLab.Media.Images.ImageCodec.Save(img, path);
        using var p = Predictor.Load(fx.FaceRun);
        using var a = new Analyzer(null, p);
        var r = a.Analyze(path, new AnalysisOptions());
        AssertValid(r);
        Assert.True(r.NoFace);
        Assert.Empty(r.Faces);
        Assert.Null(r.Overall);
    }

    [Fact]
    public void SchemaValidatorRejectsBadDocuments()
    {
        var bad = JsonDocument.Parse("""{"file": 3, "mode": "smell", "timeline": [{"start": -1}], "faces": [], "no_face": "no", "models": []}""").RootElement;
        var errors = MiniJsonSchema.Validate(Schema, bad);
        Assert.Contains(errors, e => e.Contains("$.file"));
        Assert.Contains(errors, e => e.Contains("enum"));
        Assert.Contains(errors, e => e.Contains("missing required 'audio_timeline'"));
        Assert.Contains(errors, e => e.Contains("$.timeline[0]"));
        Assert.Contains(errors, e => e.Contains("$.no_face"));
    }
}

/// <summary>Clip models (here the audio + faces fusion LSTM) analyse videos through their training front end.</summary>
[Collection("trained run")]
public sealed class ClipModelTests(TrainedRunFixture fx)
{
    private static readonly JsonElement Schema =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "result.schema.json"))).RootElement;

    private string Video(string emotion, string actor = "04") =>
        Directory.GetFiles(fx.Corpus, $"01-01-{emotion}-*-{actor}.mp4", SearchOption.AllDirectories).Single();

    [Fact]
    [Trait("Category", Category.Slow)]
    public void FusionRunGivesACombinedResultThatMatchesItsOwnTestEvaluation()
    {
        using var p = Predictor.Load(fx.FusionRun);
        Assert.True(p.TakesClips && p.TakesAudioVisualClips);
        Assert.False(p.TakesAudio || p.TakesFaces);
        using var a = new Analyzer(null, null, p);
        // Every held-out clip, analysed from its file, gets the class the run's own test pass gave it.
        var split = Data.Splits.SplitManifest.Read(Path.Combine(fx.FusionRun, "split.json"));
        var space = Data.Labels.LabelSpace.Simplified5;
        var testItems = Data.Corpora.RavdessCorpus.Read(fx.Corpus).Items.Where(i => split.Test.Contains(i.Id)).ToList();
        Assert.Equal(8, testItems.Count);   // one held-out actor's 8 clips
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(fx.FusionRun, "metrics.json"))).RootElement.GetProperty("test");
        var correct = 0;
        foreach (var item in testItems)
        {
            // A window longer than the clip: the whole file, as training saw it.
            var r = a.Analyze(item.Path, new AnalysisOptions { Window = 10 });
            Assert.Equal("combined", r.Mode);
            Assert.Single(r.Timeline);
            Assert.Empty(MiniJsonSchema.Validate(Schema, JsonDocument.Parse(JsonSerializer.Serialize(r, PredictCli.Json)).RootElement));
            if (r.Overall!.Emotion == space.Classes[space.ClassOf(item)!.Value]) correct++;
        }
        Assert.Equal(metrics.GetProperty("accuracy").GetDouble(), correct / (double)testItems.Count, 9);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void LongerVideosAreAnalysedInContiguousWindows()
    {
        using var p = Predictor.Load(fx.FusionRun);
        using var a = new Analyzer(null, null, p);
        var r = a.Analyze(Video("05"), new AnalysisOptions { Window = 0.6 });
        Assert.True(r.Timeline.Count >= 2, $"{r.Timeline.Count} windows");
        Assert.Equal(0, r.Timeline[0].Start);
        for (var i = 1; i < r.Timeline.Count; i++) Assert.Equal(r.Timeline[i - 1].End, r.Timeline[i].Start);
        Assert.Equal(r.Duration!.Value, r.Timeline[^1].End, 2);
        Assert.All(r.Timeline, w => Assert.Equal(1.0, w.Probabilities.Values.Sum(), 4));
    }

    [Fact]
    public void AVideoWithoutAudioIsRefusedByTheFusionModel()
    {
        var silent = Path.Combine(fx.Root, "silent.mp4");
        if (!File.Exists(silent)) Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-v", "error", "-y", "-i", Video("03"), "-an", "-c:v", "copy", silent], silent);
        using var p = Predictor.Load(fx.FusionRun);
        using var a = new Analyzer(null, null, p);
        var e = Assert.Throws<MediaFormatException>(() => a.Analyze(silent, new AnalysisOptions()));
        Assert.Contains(silent, e.Message);
        Assert.Contains("no audio track", e.Message);
    }
}

[Collection("trained run")]
public sealed class ClipModelCliTests(TrainedRunFixture fx)
{
    [Fact]
    public void CliTakesAFusionRunAsItsOnlyModelAndRefusesMixingItWithOthers()
    {
        var video = Directory.GetFiles(fx.Corpus, "01-01-05-*.mp4", SearchOption.AllDirectories).Order().First();
        var output = Path.Combine(fx.Root, "cli-fusion.json");
        Assert.Equal(0, PredictCli.Build().Parse([video, "--model", fx.FusionRun, "--out", output]).Invoke());
        var doc = JsonDocument.Parse(File.ReadAllText(output)).RootElement;
        Assert.Equal("combined", doc.GetProperty("mode").GetString());
        Assert.Equal(5, doc.GetProperty("overall").GetProperty("probabilities").EnumerateObject().Count());
        Assert.Equal(PredictCli.Usage, PredictCli.Build().Parse([video, "--model", fx.FusionRun, "--audio-model", fx.Run]).Invoke());
        // An audio file has nothing for a clip model to read.
        var wav = Directory.GetFiles(fx.Corpus, "03-01-05-*.wav", SearchOption.AllDirectories).Order().First();
        Assert.Equal(PredictCli.NothingAnalysed, PredictCli.Build().Parse([wav, "--model", fx.FusionRun]).Invoke());
    }
}
