using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Models.Tests;

public sealed class RegistryTests
{
    [Fact]
    public void AllTwelveModelsAreRegisteredByName()
    {
        Assert.Equal(
            ["audio_cnn_transformer", "lrcn", "conv_lstm", "face_resnet", "audio_resnet", "av_fusion_lstm", "av_transformer", "feature_mlp",
             "fer_vgg", "random_forest", "logistic_regression", "gradient_boosting"],
            ModelRegistry.All.Select(s => s.Name));
        Assert.Equal(["random_forest", "logistic_regression", "gradient_boosting"], ModelRegistry.All.Where(s => s.IsClassical).Select(s => s.Name));
        Assert.Equal(9, ModelRegistry.Neural.Count());
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Get("resnet50"));
        Assert.Contains("resnet50", e.Message);
        Assert.Contains("audio_cnn_transformer", e.Message);
        Assert.Contains("feature_mlp", e.Message);
    }

    [Fact]
    public void DuplicateNamesThrow()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ModelRegistry.Build(AudioCnnTransformer.Spec, Lrcn.Spec, AudioCnnTransformer.Spec));
        Assert.Contains("audio_cnn_transformer", e.Message);
    }

    [Fact]
    public void WrongOptionsTypeIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Get("lrcn").Create(new ConvLstmOptions()));
        Assert.Contains("LrcnOptions", e.Message);
    }

    [Fact]
    public void EveryModelDeclaresItsInputsAndClasses()
    {
        foreach (var spec in ModelRegistry.Neural)
        {
            var options = Activator.CreateInstance(spec.OptionsType)!;
            spec.OptionsType.GetProperty("NumClasses")!.SetValue(options, 5);
            using var model = spec.Create(options);
            Assert.Equal(5, model.NumClasses);
            Assert.Equal(spec.Inputs, model.Inputs);
        }
    }

    [Fact]
    public void MissingInputIsAClearError()
    {
        using var model = new Lrcn(new LrcnOptions());
        using var image = zeros(2, 3, 64, 64);
        var e = Assert.Throws<ArgumentException>(() => model.forward(new ModelInputs { Image = image }));
        Assert.Contains("Lrcn needs ModelInputs.Frames", e.Message);
    }

    [Fact]
    public void BatchSizeMustAgree()
    {
        using var a = zeros(2, 3);
        using var b = zeros(3, 9);
        Assert.Equal(2, new ModelInputs { Features = a }.BatchSize);
        Assert.Throws<ArgumentException>(() => new ModelInputs { Features = a, Sentiment = b }.BatchSize);
    }

    [Fact]
    public void FusionEncodersLoadFromSubModelCheckpointsAndFreeze()
    {
        using var scope = NewDisposeScope();
        var dir = Directory.CreateTempSubdirectory("averlab-models-");
        try
        {
            var facePath = Path.Combine(dir.FullName, "face.safetensors");
            using var face = new FaceResNet(new FaceResNetOptions { NumClasses = 8 });
            WeightRecipe.Apply(face);
            TensorFile.Save(facePath, face.state_dict());
            using var fusion = new AvFusionLstm(new AvFusionLstmOptions { FreezeFace = true });
            fusion.LoadFaceEncoder(facePath);
            var fusionState = fusion.state_dict();
            foreach (var (name, t) in face.state_dict().Where(kv => !kv.Key.StartsWith("fc.", StringComparison.Ordinal)))
                Assert.True(fusionState["face_encoder." + name].Equals(t), name);
            Assert.All(fusion.named_parameters().Where(p => p.name.StartsWith("face_encoder.", StringComparison.Ordinal)),
                p => Assert.False(p.parameter.requires_grad));
            Assert.Contains(fusion.named_parameters(), p => p.name.StartsWith("audio_encoder.", StringComparison.Ordinal) && p.parameter.requires_grad);

            Assert.Throws<FileNotFoundException>(() => fusion.LoadAudioEncoder(Path.Combine(dir.FullName, "missing.safetensors")));
            var mlpPath = Path.Combine(dir.FullName, "mlp.safetensors");
            using (var mlp = new FeatureMlp(new FeatureMlpOptions())) TensorFile.Save(mlpPath, mlp.state_dict());
            // A checkpoint of another model: the strict load names the file and what does not fit.
            var e = Assert.Throws<StateDictException>(() => fusion.LoadAudioEncoder(mlpPath));
            Assert.Contains("mlp.safetensors", e.Message);
            Assert.Contains("Missing key(s) in state_dict: conv1.weight", e.Message);
            Assert.Contains("Unexpected key(s) in state_dict: feature_mean", e.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void FeatureMlpPcaProjectsOntoLeadingComponents()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        // 200 samples in 6-D whose variance lies mostly along one known direction.
        var direction = tensor(new float[] { 1, 2, 0, 0, -1, 0 }) / MathF.Sqrt(6);
        var x = randn(200, 1) * 10 * direction + randn(200, 6) * 0.01;
        using var model = new FeatureMlp(new FeatureMlpOptions { InputSize = 6, PcaComponents = 1 });
        model.FitPreprocessing(x);
        var comp = model.state_dict()["pca_components"];
        Assert.Equal([1L, 6L], comp.shape);
        // Standardized data: the leading component is ±(1, 1, 0, 0, 1, 0)/√3-like on the correlated columns.
        var c = comp.data<float>().ToArray();
        Assert.InRange(Math.Abs(c[0]), 0.5, 0.6);
        Assert.InRange(Math.Abs(c[1]), 0.5, 0.6);
        Assert.InRange(Math.Abs(c[4]), 0.5, 0.6);
        Assert.True(c[0] * c[4] < 0);
        using var logits = model.forward(new ModelInputs { Features = x });
        Assert.Equal([200L, 8L], logits.shape);
    }

    [Fact]
    public void FaceBackboneLoadsATorchvisionStyleCheckpointWithAnotherHead()
    {
        using var scope = NewDisposeScope();
        var dir = Directory.CreateTempSubdirectory("averlab-models-");
        try
        {
            // An ImageNet-style checkpoint: the same torchvision keys, a 1000-class fc that the loader must ignore.
            var path = Path.Combine(dir.FullName, "resnet18_imagenet.safetensors");
            using (var imagenet = new FaceResNet(new FaceResNetOptions { NumClasses = 1000 }))
            {
                WeightRecipe.Apply(imagenet);
                TensorFile.Save(path, imagenet.state_dict());
            }
            using var face = new FaceResNet(new FaceResNetOptions { NumClasses = 7 });
            face.LoadBackbone(path);
            var loaded = SafeTensorsLoad(path);
            var state = face.state_dict();
            foreach (var (name, t) in loaded.Where(kv => !kv.Key.StartsWith("fc.", StringComparison.Ordinal)))
                Assert.True(state[name].Equals(t), name);
            Assert.Equal([7L, 512L], state["fc.weight"].shape);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static Dictionary<string, Tensor> SafeTensorsLoad(string path) => TensorFile.Load(path);
}
