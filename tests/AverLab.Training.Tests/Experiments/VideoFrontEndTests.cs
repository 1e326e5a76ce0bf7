using System.Text.Json.Nodes;
using AverLab.Data.Synthetic;
using AverLab.Media;
using AverLab.Models;
using TorchSharp;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.FrontEnds;
using AverLab.Tests.Support;

namespace AverLab.Training.Tests.Experiments;

/// <summary>A synthetic RAVDESS corpus with audio-visual mp4s: 4 actors x 8 emotions, 96x96 at 10 fps with AAC.</summary>
public sealed class VideoPipelineFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("averlab-video-pipeline-").FullName;

    public VideoPipelineFixture() =>
        SyntheticCorpus.Generate(Path.Combine(Root, "corpus"), new SyntheticCorpusOptions
        {
            Seed = 11, Actors = 4, AllCombinations = false, Video = true, FerPerClass = 0,
        });

    public string Ravdess => Path.Combine(Root, "corpus", "ravdess");

    public string AnyVideo => Directory.EnumerateFiles(Ravdess, "*.mp4", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();

    public string Config(string name, string model, string features, string modality = "video", string extra = "") => $$"""
        name: {{name}}
        seed: 9
        data:
          corpus: ravdess
          root: {{Ravdess}}
          modality: {{modality}}
          labels: simple5
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {{features}}
        model:
          name: {{model}}
        training:
          epochs: 1
          batch_size: 8
          threads: 1
          optimizer: {name: adam, lr: 0.001}
        output:
          root: {{Path.Combine(Root, "runs")}}
        {{extra}}
        """;

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("video-pipeline")]
public sealed class VideoPipelineCollection : ICollectionFixture<VideoPipelineFixture>;

/// <summary>The video front ends the face, fusion and AV-transformer seeds train on: face crops per frame
/// (unrolled into images), face sequences beside the audio (two inputs), and the AV statistics vector.</summary>
[Collection("video-pipeline")]
public sealed class VideoFrontEndTests(VideoPipelineFixture fx)
{
    private const string FusionFeatures = "{kind: faces_audio, sample_rate: 16000, n_mfcc: 13, duration: 1.5, frames: 2, image_size: 32, grayscale: true}";

    /// <summary>Trains a one-epoch run of the given model and front end on the fixture's corpus.</summary>
    private RunResult Train(string name, string model, string features, string modality = "video", string? modelParams = null)
    {
        var yaml = fx.Config(name, model, features, modality);
        if (modelParams != null) yaml = yaml.Replace($"  name: {model}", $"  name: {model}\n  params: {modelParams}");
        var r = ExperimentRunner.Run(ConfigLoader.FromText(yaml, $"{name}.yaml"), new RunOptions { BootstrapSamples = 0 });
        Assert.True(r.Finished);
        return r;
    }

    private static FeatureConfig Faces(int frames = 6, int size = 32, string noFace = "skip", bool gray = true) =>
        new() { Kind = FeatureKind.Faces, Frames = frames, ImageSize = size, Grayscale = gray, NoFace = noFace };

    [Fact]
    public void FaceCropsFindTheSyntheticFaceInMostFramesAndScaleToUnitRange()
    {
        using var unrolled = new FaceCropsExtractor(Faces(), fixedLength: false);
        var f = unrolled.Extract(fx.AnyVideo);
        Assert.Equal(4, f.Shape.Length);
        Assert.InRange(f.Shape[0], 5, 6);            // the renderer's face is found in (nearly) every frame
        Assert.Equal([1L, 32, 32], f.Shape[1..]);
        Assert.All(f.Data, v => Assert.InRange(v, 0f, 1f));
        Assert.True(f.Data.Max() - f.Data.Min() > 0.3f, "a face crop has contrast");
        using var fixedLength = new FaceCropsExtractor(Faces(frames: 7), fixedLength: true);
        Assert.Equal([7L, 1, 32, 32], fixedLength.Extract(fx.AnyVideo).Shape);
        using var color = new FaceCropsExtractor(Faces(gray: false), fixedLength: false);
        Assert.Equal(3, color.Extract(fx.AnyVideo).Shape[1]);
    }

    [Fact]
    public void LandmarkFrontEndsAlignTheCropsAndAddNormalisedCoordinates()
    {
        var f = Faces();
        f.Align = "landmarks";
        f.Landmarks = true;
        var front = FrontEnd.Create(f);
        Assert.True(front.HasLandmarks);
        var crops = front.Primary.Extract(fx.AnyVideo);
        var lm = front.Extras[^1].Extract(fx.AnyVideo);
        Assert.Equal([1L, 32, 32], crops.Shape[1..]);
        Assert.Equal([crops.Shape[0], 136L], lm.Shape);                 // one landmark row per face crop
        Assert.All(crops.Data, v => Assert.InRange(v, 0f, 1f));
        // Template units: the normalised face spans about the unit box.
        Assert.All(lm.Data, v => Assert.InRange(v, -0.5f, 1.5f));
        Assert.NotEqual(new FaceCropsExtractor(Faces(), fixedLength: false).ConfigHash, front.Primary.ConfigHash);
        Assert.NotEqual(new FaceCropsExtractor(Faces(), fixedLength: false).Extract(fx.AnyVideo).Data, crops.Data);
        foreach (var x in front.Extras.Prepend(front.Primary).OfType<IDisposable>()) x.Dispose();

        // Sequences: [frames, 272], each row's coordinates then its change from the previous row.
        var v = new FeatureConfig { Kind = FeatureKind.Frames, Frames = 5, ImageSize = 32, Align = "landmarks", Landmarks = true };
        var seq = FrontEnd.Create(v);
        Assert.Equal([5L, 3, 32, 32], seq.Primary.Extract(fx.AnyVideo).Shape);
        var rows = seq.Extras[^1].Extract(fx.AnyVideo);
        Assert.Equal([5L, 272], rows.Shape);
        Assert.All(rows.Data.Skip(136).Take(136), d => Assert.Equal(0f, d));
        for (var j = 0; j < 136; j++) Assert.Equal(rows.Data[272 + j] - rows.Data[j], rows.Data[272 + 136 + j], 5);
        foreach (var x in seq.Extras.Prepend(seq.Primary).OfType<IDisposable>()) x.Dispose();
    }

    [Fact]
    public void FaceResNetAndLrcnTrainWithTheLandmarkInputSizedFromTheFeatures()
    {
        // Cheap on purpose: one face crop per video, two frames per LRCN sequence (the fewest that have a frame-to-frame
        // delta); still a full run each, which fails if the landmark input is sized or wired wrongly.
        var face = Train("faces-landmarks", "face_resnet", "{kind: faces, frames: 1, image_size: 32, grayscale: true, align: landmarks, landmarks: true}");
        var card = ModelCard.Load(face.Folder.ModelJson);
        Assert.Equal(136, card.Options["landmark_count"]!.GetValue<int>());
        Assert.True(card.Features.Landmarks);
        Assert.Equal("landmarks", card.Features.Align);
        // The trained model reads the landmark input: the same crop with other landmarks gets other logits.
        using (var model = card.CreateModel())
        using (TorchSharp.torch.NewDisposeScope())
        {
            AverLab.Models.ModelFile.LoadInto(model, face.Folder.BestCheckpoint);
            model.eval();
            using var _ = TorchSharp.torch.no_grad();
            var crop = TorchSharp.torch.full([1L, 1, 32, 32], 0.5f);
            var a = model.call(new AverLab.Models.ModelInputs { Image = crop, Landmarks = TorchSharp.torch.zeros(1, 136) });
            var b = model.call(new AverLab.Models.ModelInputs { Image = crop, Landmarks = TorchSharp.torch.ones(1, 136) });
            Assert.True((a - b).abs().max().ToDouble() > 1e-6, "the landmark input does not change the face model's output");
        }
        var lrcn = Train("lrcn-landmarks", "lrcn", "{kind: frames, frames: 2, image_size: 64, align: landmarks, landmarks: true}");
        Assert.Equal(272, ModelCard.Load(lrcn.Folder.ModelJson).Options["landmark_count"]!.GetValue<int>());
        // A model without a landmark input refuses the key by name.
        var e = Assert.Throws<ConfigException>(() => ExperimentRunner.Run(ConfigLoader.FromText(
            fx.Config("mlp-landmarks", "feature_mlp", "{kind: frames, frames: 2, image_size: 16, landmarks: true}"), "mlp.yaml"), new RunOptions { BootstrapSamples = 0 }));
        Assert.Contains("features.landmarks", e.Message);
    }

    [Fact]
    public void AVideoWithoutAFaceFailsNamingTheFileUnlessNoFaceIsCenter()
    {
        var blank = Path.Combine(fx.Root, "blank.mp4");
        if (!File.Exists(blank))
            Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=96x96:d=1:r=10", "-c:v", "libx264", "-pix_fmt", "yuv420p", blank], blank);
        using var skip = new FaceCropsExtractor(Faces(frames: 4), fixedLength: false);
        var e = Assert.Throws<MediaFormatException>(() => skip.Extract(blank));
        Assert.Contains(blank, e.Message);
        Assert.Contains("no face found in any of 4 sampled frames", e.Message);
        using var centre = new FaceCropsExtractor(Faces(frames: 4, noFace: "center"), fixedLength: false);
        var f = centre.Extract(blank);
        Assert.Equal([4L, 1, 32, 32], f.Shape);
        Assert.All(f.Data, v => Assert.InRange(v, 0.45f, 0.55f));   // the gray frame's centre
    }

    [Fact]
    public void AvStatsAreMfccMeansThenResNetMeansReproduciblyWithoutTouchingTheGlobalGenerator()
    {
        var config = new FeatureConfig { Kind = FeatureKind.AvStats, SampleRate = 16000, NMfcc = 40, Frames = 3, ImageSize = 64, NFft = 512, NMels = 40 };
        torch.manual_seed(123);
        var expectedNext = torch.rand(4).data<float>().ToArray();
        torch.manual_seed(123);
        float[] a, b;
        using (var x = new AvStatsExtractor(config)) a = x.Extract(fx.AnyVideo).Data;
        Assert.Equal(expectedNext, torch.rand(4).data<float>().ToArray());
        using (var y = new AvStatsExtractor(config)) b = y.Extract(fx.AnyVideo).Data;
        Assert.Equal(552, a.Length);
        Assert.Equal(a, b);
        Assert.True(a[0] < -50, $"c0's mean is a log-energy level, got {a[0]}");
        Assert.All(a[40..], v => Assert.True(v >= 0, "ResNet features are means of ReLU outputs"));
        // The MFCC part is exactly the mean over time of the clip's MFCC (no padding).
        using var mfcc = new ClipMfccExtractor(config);
        var mono = Media.Audio.AudioLoader.Load(fx.AnyVideo, new Media.Audio.AudioLoadOptions { SampleRate = 16000, Duration = config.Duration }).ToMono();
        var m = mfcc.ExtractSamples(mono, pad: false);
        var cols = (int)m.Shape[1];
        Assert.Equal(m.Data.AsSpan(0, cols).ToArray().Average(), a[0], 3);
    }

    [Fact]
    public void FaceResNetTrainsOnUnrolledFaceCropsAndReportsPerVideoMetrics()
    {
        var r = Train("faces", "face_resnet", "{kind: faces, frames: 4, image_size: 32, grayscale: true}");
        var metrics = JsonNode.Parse(File.ReadAllText(r.Folder.MetricsJson))!;
        var frames = metrics["test"]!["count"]!.GetValue<int>();
        var videos = metrics["test_per_video"]!["count"]!.GetValue<int>();
        Assert.Equal(8, videos);                    // 1 test actor x 8 emotions
        Assert.InRange(frames, 4 * videos - 4, 4 * videos);
        Assert.Equal(5, metrics["test_per_video"]!["labels"]!.AsArray().Count);
        var card = ModelCard.Load(r.Folder.ModelJson);
        Assert.Equal(FeatureKind.Faces, card.Features.Kind);
        Assert.Equal(r.Test.Accuracy, RunEvaluator.Evaluate(r.Folder.Path).Accuracy);
    }

    /// <summary>The ConvLSTM's Dense layer depends on the clip length, so the runner derives sequence_length from
    /// features.frames (it was left at 30 and a 4-frame run failed).</summary>
    [Fact]
    public void ConvLstmTakesItsSequenceLengthFromTheFrames()
    {
        var r = Train("convlstm", "conv_lstm", "{kind: frames, frames: 4, image_size: 32}");
        Assert.Equal(8, r.Test.Count);
        Assert.Equal(4, ModelCard.Load(r.Folder.ModelJson).Options["sequence_length"]!.GetValue<int>());
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void FusionLstmTrainsOnAudioAndFaceFramesAsTwoInputs()
    {
        var r = Train("fusion", "av_fusion_lstm", FusionFeatures, "audio_visual");
        Assert.Equal(8, r.Test.Count);
        var run = JsonNode.Parse(File.ReadAllText(r.Folder.RunJson))!;
        Assert.Equal(16, run["train_items"]!.GetValue<int>());
        Assert.Equal(r.Test.Accuracy, RunEvaluator.Evaluate(r.Folder.Path).Accuracy);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void FusionStartsFromAPretrainedFaceResNetAndKeepsItFrozen()
    {
        var facePath = Path.Combine(fx.Root, "face18.safetensors");
        torch.manual_seed(77);
        using (var face = new Models.FaceResNet(new Models.FaceResNetOptions { NumClasses = 5 })) Models.ModelFile.Save(face, facePath);
        var r = Train("fusion-pretrained", "av_fusion_lstm", FusionFeatures, "audio_visual", $"{{face_checkpoint: {facePath}, freeze_face: true}}");
        using var scope = torch.NewDisposeScope();
        var trained = Models.TensorFile.Load(r.Folder.BestCheckpoint);
        var pretrained = Models.TensorFile.Load(facePath);
        Assert.True(trained["face_encoder.conv1.weight"].Equals(pretrained["conv1.weight"]), "the frozen face encoder is the pretrained one");
        Assert.True(trained["face_encoder.layer4.1.conv2.weight"].Equals(pretrained["layer4.1.conv2.weight"]));
        var missing = ConfigLoader.FromText(File.ReadAllText(r.Folder.ConfigYaml).Replace(facePath, facePath + ".missing"), "missing.yaml");
        var e = Assert.Throws<FileNotFoundException>(() => ExperimentRunner.Run(missing, new RunOptions { BootstrapSamples = 0 }));
        Assert.Contains("face18.safetensors.missing", e.Message);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void AvTransformerTrainsOnTheStatisticsVector()
    {
        var r = Train("avstats", "av_transformer", "{kind: av_stats, sample_rate: 16000, n_mfcc: 40, n_fft: 512, n_mels: 40, frames: 2, image_size: 32}",
            "audio_visual");
        var card = ModelCard.Load(r.Folder.ModelJson);
        Assert.Equal(552, card.Scaler!.Mean.Length);   // standardized per value, like sklearn's StandardScaler
    }
}
