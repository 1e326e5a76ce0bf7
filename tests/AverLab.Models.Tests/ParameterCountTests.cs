using Xunit.Abstractions;

namespace AverLab.Models.Tests;

/// <summary>Parameter counts of every model with its default options: the numbers for the three published
/// counts, torchvision's (with the replaced head) for the ResNets, as printed by tests/golden/make_models_golden.py.</summary>
public sealed class ParameterCountTests(ITestOutputHelper output)
{
    public static TheoryData<string, object, long> Expected => new()
    {
        { "audio_cnn_transformer", new AudioCnnTransformerOptions { NumClasses = 8 }, 248_488 },
        { "lrcn", new LrcnOptions { NumClasses = 6 }, 73_126 },
        { "conv_lstm", new ConvLstmOptions { NumClasses = 6 }, 58_926 },
        { "face_resnet", new FaceResNetOptions { NumClasses = 7 }, 11_180_103 },
        { "face_resnet", new FaceResNetOptions { NumClasses = 7, Depth = 34 }, 21_288_263 },
        { "audio_resnet", new AudioResNetOptions { NumClasses = 8 }, 11_971_656 },
        { "av_fusion_lstm", new AvFusionLstmOptions { NumClasses = 8 }, 22_783_880 },
        { "av_transformer", new AvTransformerOptions { NumClasses = 8 }, 476_360 },
        { "feature_mlp", new FeatureMlpOptions { NumClasses = 8 }, 80_264 },
        // PyTorch's nn.Sequential of the same layers (features: 8 x [Conv2d(bias=False), BatchNorm2d, ReLU] + 4 MaxPool2d;
        // classifier: Dropout, Linear(2304, 256), ReLU, Dropout, Linear(256, 7)) counts 1,764,519.
        { "fer_vgg", new FerVggOptions { NumClasses = 7 }, 1_764_519 },
    };

    [Fact]
    public void FerVggKeysAreTorchvisionVggStyle()
    {
        using var model = new FerVgg(new FerVggOptions());
        var keys = model.state_dict().Keys.ToList();
        Assert.Equal(["features.0.weight", "features.1.weight", "features.1.bias", "features.1.running_mean", "features.1.running_var",
            "features.1.num_batches_tracked", "features.3.weight"], keys.Take(7));
        Assert.Equal(["classifier.1.weight", "classifier.1.bias", "classifier.4.weight", "classifier.4.bias"], keys.TakeLast(4));
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void CountEqualsPublished(string name, object options, long expected)
    {
        using var model = ModelRegistry.Get(name).Create(options);
        var count = model.ParameterCount();
        output.WriteLine($"{name} ({options.GetType().Name}): {count:N0} parameters");
        Assert.Equal(expected, count);
    }

    [Fact]
    public void ThreeBranchVariantAddsOneBranchAndWidensTheClassifier()
    {
        using var model = new AudioCnnTransformer(new AudioCnnTransformerOptions { ConvBranches = 3 });
        // One more conv branch (23,520) and 512 more inputs to fc1_linear for each of the 8 classes.
        Assert.Equal(248_488 + 23_520 + 512 * 8, model.ParameterCount());
    }

    [Fact]
    public void LrcnVariantWithBatchNormAndLstm64()
    {
        using var model = new Lrcn(new LrcnOptions { BatchNorm = true, LstmUnits = 64, Dropouts = [0.1, 0.2, 0.3] });
        // BN adds 2 x (16 + 32 + 64 + 64) = 352; LSTM 64: 4 x (64 x (64 + 64) + 64) = 33,024 instead of 12,416;
        // Dense 64 → 6 = 390 instead of 198.
        Assert.Equal(73_126 + 352 + (33_024 - 12_416) + (390 - 198), model.ParameterCount());
    }

    [Fact]
    public void FramesForThreeSecondsAt48kHzHop512Is282() => Assert.Equal(282, AudioCnnTransformerOptions.FramesFor(3, 48_000, 512));
}
