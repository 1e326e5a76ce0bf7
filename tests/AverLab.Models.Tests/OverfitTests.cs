using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Xunit.Abstractions;
using AverLab.Tests.Support;

namespace AverLab.Models.Tests;

/// <summary>Each model memorises a fixed batch of 16 synthetic samples (torch.manual_seed random inputs, labels i mod
/// classes) to 100% training accuracy (the train-mode forward of a step, as Keras reports it) within a bounded number
/// of Adam steps: proof that every parameter path trains. Where dropout would make the train-mode accuracy a coin toss
/// (the audio CNN+Transformer, LRCN, ConvLSTM), the test turns it off through the options: memorising one batch is a
/// plumbing check, not a regularisation one. The video models use fewer frames (LRCN 8, ConvLSTM 8 frames of 32x32)
/// to stay within seconds; their per-frame layers are the published ones.</summary>
[Trait("Category", Category.Slow)]
public sealed class OverfitTests(ITestOutputHelper output)
{
    private const int Batch = 16;

    private void Overfit(EmotionModel model, Func<ModelInputs> makeInputs, double lr, int maxSteps)
    {
        using var scope = NewDisposeScope();
        using var _m = model;
        var inputs = makeInputs();
        var labels = arange(Batch).remainder(model.NumClasses).@long();
        using var opt = optim.Adam(model.parameters(), lr: lr);
        model.train();
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var accuracy = 0.0;
        var steps = 0;
        double loss = double.NaN;
        while (steps < maxSteps)
        {
            using var step = NewDisposeScope();
            steps++;
            var logits = model.forward(inputs);
            var l = F.cross_entropy(logits, labels);
            using (no_grad()) accuracy = logits.argmax(1).eq(labels).@float().mean().item<float>();
            loss = l.item<float>();
            if (accuracy == 1.0) break;
            opt.zero_grad();
            l.backward();
            opt.step();
        }
        output.WriteLine($"{model.GetName()}: accuracy {accuracy:P0} after {steps} steps (loss {loss:F4}), {sw.Elapsed.TotalSeconds:F1} s wall, " +
            $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU (whole process)");
        Assert.True(accuracy == 1.0, $"{model.GetName()} reached only {accuracy:P0} training accuracy in {maxSteps} steps (loss {loss})");
    }

    [Fact]
    public void AudioCnnTransformer()
    {
        manual_seed(10);
        Overfit(new AudioCnnTransformer(new AudioCnnTransformerOptions { ConvDropout = 0, TransformerDropout = 0 }),
            () => new ModelInputs { Audio = randn(Batch, 1, 40, 282) }, 1e-3, 60);
    }

    [Fact]
    public void Lrcn()
    {
        manual_seed(11);
        Overfit(new Lrcn(new LrcnOptions { Dropouts = [0, 0, 0] }), () => new ModelInputs { Frames = randn([Batch, 8, 3, 64, 64]) }, 3e-3, 80);
    }

    [Fact]
    public void ConvLstm()
    {
        manual_seed(12);
        Overfit(new ConvLstm(new ConvLstmOptions { SequenceLength = 4, FrameSize = 32, Dropout = 0, RecurrentDropout = 0 }),
            () => new ModelInputs { Frames = randn([Batch, 4, 3, 32, 32]) }, 3e-3, 60);
    }

    [Fact]
    public void FaceResNet18WithLandmarks()
    {
        manual_seed(13);
        Overfit(new FaceResNet(new FaceResNetOptions { LandmarkCount = 136, DenseLayers = 2 }),
            () => new ModelInputs { Image = randn(Batch, 3, 64, 64), Landmarks = randn(Batch, 136) }, 1e-3, 60);
    }

    [Fact]
    public void FaceResNet34()
    {
        manual_seed(14);
        Overfit(new FaceResNet(new FaceResNetOptions { Depth = 34 }), () => new ModelInputs { Image = randn(Batch, 1, 64, 64) }, 1e-3, 60);
    }

    [Fact]
    public void AudioResNet()
    {
        manual_seed(15);
        Overfit(new AudioResNet(new AudioResNetOptions()), () => new ModelInputs { Audio = randn(Batch, 3, 126, 13) }, 1e-3, 60);
    }

    [Fact]
    public void AvFusionLstm()
    {
        manual_seed(16);
        Overfit(new AvFusionLstm(new AvFusionLstmOptions { UseSentiment = true }),
            () => new ModelInputs { Frames = randn([Batch, 4, 3, 64, 64]), Audio = randn(Batch, 3, 126, 13), Sentiment = randn(Batch, 9) }, 1e-3, 60);
    }

    [Fact]
    public void AvTransformer()
    {
        manual_seed(17);
        Overfit(new AvTransformer(new AvTransformerOptions()), () => new ModelInputs { Features = randn(Batch, 552) }, 1e-3, 100);
    }

    [Fact]
    public void FeatureMlpWithPca()
    {
        manual_seed(18);
        var model = new FeatureMlp(new FeatureMlpOptions { PcaComponents = 32 });
        using (var fit = randn(64, 180)) model.FitPreprocessing(fit);
        Overfit(model, () => new ModelInputs { Features = randn(Batch, 180) }, 1e-3, 100);
    }
}
