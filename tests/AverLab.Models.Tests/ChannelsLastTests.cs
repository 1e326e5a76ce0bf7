using TorchSharp;
using static TorchSharp.torch;
using AverLab.Tests.Support;

namespace AverLab.Models.Tests;

/// <summary>The ChannelsLast option (on by default for the face and audio ResNets, the fusion model's face encoder, LRCN
/// and the audio CNN+Transformer) is a layout, not a different model: the same initial weights for a seed, the same state-dict
/// keys, shapes and values, and logits within convolution rounding of the NCHW model's, in training and eval mode.</summary>
public sealed class ChannelsLastTests
{
    public static TheoryData<string> Models() => new(["face_resnet18", "audio_resnet", "lrcn", "audio_cnn_transformer", "av_fusion_lstm"]);

    private static (EmotionModel model, ModelInputs inputs) Build(string name, bool channelsLast)
    {
        manual_seed(7);
        EmotionModel model = name switch
        {
            "face_resnet18" => new FaceResNet(new() { ChannelsLast = channelsLast }),
            "audio_resnet" => new AudioResNet(new() { ChannelsLast = channelsLast, Dropout = 0 }),
            "lrcn" => new Lrcn(new() { ChannelsLast = channelsLast, Dropouts = [0, 0, 0] }),
            "audio_cnn_transformer" => new AudioCnnTransformer(new() { ChannelsLast = channelsLast, ConvDropout = 0, TransformerDropout = 0 }),
            "av_fusion_lstm" => new AvFusionLstm(new() { ChannelsLast = channelsLast, Dropout = 0 }),
            _ => throw new ArgumentException(name),
        };
        manual_seed(8);
        ModelInputs inputs = name switch
        {
            "face_resnet18" => new() { Image = randn(4, 3, 64, 64) },
            "lrcn" => new() { Frames = randn([2, 6, 3, 64, 64]) },
            "audio_cnn_transformer" => new() { Audio = randn(3, 1, 40, 282) },
            "audio_resnet" => new() { Audio = randn(4, 3, 126, 13) },
            _ => new() { Frames = randn([4, 3, 3, 64, 64]), Audio = randn(4, 3, 126, 13) },
        };
        return (model, inputs);
    }

    [Theory]
    [MemberData(nameof(Models))]
    [Trait("Category", Category.Slow)]
    public void IsTheSameModelLaidOutDifferently(string name)
    {
        using var scope = NewDisposeScope();
        var (fast, inputs) = Build(name, channelsLast: true);
        var (plain, _) = Build(name, channelsLast: false);
        using var _f = fast;
        using var _p = plain;
        var a = fast.state_dict();
        var b = plain.state_dict();
        Assert.Equal(b.Keys, a.Keys);
        foreach (var (key, value) in b)
        {
            Assert.Equal(value.shape, a[key].shape);
            Assert.True(value.Equals(a[key]), $"{name}: {key} initialised differently");
        }
        Assert.Contains(a.Values, t => t.dim() == 4 && MemoryLayout.IsChannelsLast(t) && !t.is_contiguous());

        foreach (var training in new[] { true, false })
        {
            fast.train(training);
            plain.train(training);
            var x = fast.forward(inputs);
            var y = plain.forward(inputs);
            // Training-mode batch norm over a few samples magnifies the convolutions' rounding differences.
            var tolerance = training ? 1e-3 : 1e-4;
            Assert.True(x.allclose(y, rtol: tolerance, atol: tolerance), $"{name} (train {training}): max |diff| {(x - y).abs().max().item<float>()}");
        }
    }
}
