using AverLab.Explanations;
using AverLab.Models;
using static TorchSharp.torch;

namespace AverLab.Inference.Tests.Explanations;

/// <summary>Every zoo model exposes a penultimate embedding, and every convolutional one Grad-CAM maps over its
/// input (randomly initialised models, small inputs: shapes, ranges and the logits agreeing with forward).</summary>
public sealed class ZooExplanationTests
{
    public static TheoryData<string> Models => new(ModelRegistry.Neural.Select(s => s.Name)); // classical models have no layers to explain this way

    private static (EmotionModel model, ModelInputs inputs, long embedding, string[] stages) Build(string name)
    {
        manual_seed(1);
        var g = new Generator(2);
        return name switch
        {
            "audio_cnn_transformer" => (new AudioCnnTransformer(new() { NumClasses = 4, TransformerLayers = 1 }),
                new ModelInputs { Audio = randn(new long[] { 1, 1, 40, 282 }, generator: g) }, 1064, ["conv2Dblock1", "conv2Dblock2"]),
            "lrcn" => (new Lrcn(new() { NumClasses = 4 }), new ModelInputs { Frames = rand(new long[] { 1, 3, 3, 64, 64 }, generator: g) }, 32, ["cnn"]),
            "conv_lstm" => (new ConvLstm(new() { NumClasses = 4, SequenceLength = 2, FrameSize = 32 }),
                new ModelInputs { Frames = rand(new long[] { 1, 2, 3, 32, 32 }, generator: g) }, 2 * 1 * 1 * 16, ["convlstm4"]),
            "face_resnet" => (new FaceResNet(new() { NumClasses = 4 }), new ModelInputs { Image = rand(new long[] { 1, 1, 48, 48 }, generator: g) }, 512, ["layer4"]),
            "audio_resnet" => (new AudioResNet(new() { NumClasses = 4 }), new ModelInputs { Audio = randn(new long[] { 1, 3, 126, 13 }, generator: g) }, 512, ["layer4"]),
            "av_fusion_lstm" => (new AvFusionLstm(new() { NumClasses = 4 }),
                new ModelInputs { Audio = randn(new long[] { 1, 3, 126, 13 }, generator: g), Frames = rand(new long[] { 1, 2, 1, 32, 32 }, generator: g) }, 128 + 512,
                ["face_encoder.layer4", "audio_encoder.layer4"]),
            "av_transformer" => (new AvTransformer(new() { NumClasses = 4 }), new ModelInputs { Features = randn(new long[] { 1, 552 }, generator: g) }, 128, []),
            "feature_mlp" => (new FeatureMlp(new() { NumClasses = 4 }), new ModelInputs { Features = randn(new long[] { 1, 180 }, generator: g) }, 128, []),
            "fer_vgg" => (new FerVgg(new() { NumClasses = 4 }), new ModelInputs { Image = rand(new long[] { 1, 1, 48, 48 }, generator: g) }, 256, ["features"]),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void EmbeddingAndGradCamMaps(string name)
    {
        var (model, inputs, width, stages) = Build(name);
        using (model)
        {
            model.eval();
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                Assert.Equal([1, width], model.forward_embedding(inputs).shape);
                var (logits, _) = model.forward_with_maps(inputs);
                Assert.True(logits.allclose(model.call(inputs), rtol: 1e-4, atol: 1e-5), $"{name}: forward_with_maps' logits differ from forward's");
            }
            var maps = GradCam.Compute(model, inputs, 1);
            Assert.Equal(stages, maps.Select(m => m.Stage));
            foreach (var m in maps)
            {
                var input = m.Input == InputKinds.Frames ? inputs.Frames! : inputs.Audio ?? inputs.Image!;
                Assert.Equal((input.shape[^2], input.shape[^1]), ((long)m.Height, (long)m.Width));
                Assert.Equal(m.Input == InputKinds.Frames ? input.shape[1] : 1, m.Frames);
                Assert.Equal(m.Frames * m.Height * m.Width, m.Heat.Length);
                Assert.All(m.Heat, v => Assert.InRange(v, 0f, 1f));
                Assert.True(m.Heat.Max() is 0f or 1f, $"{name}/{m.Stage}: the hottest cell is {m.Heat.Max()}, not 1");
            }
        }
    }
}
