using System.Diagnostics;
using AverLab.Models.Optim;
using AverLab.TorchRuntime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using AverLab.Tests.Support;

namespace AverLab.Models.Tests;

/// <summary>The garbage-collector race on TorchSharp's temporary Scalars and Tensors (see <see cref="FinalizerGuard"/>):
/// train-mode steps of every neural model, with the project's optimizers, while another thread allocates and collects
/// without pause, so finalizers run during native calls all the time. With AVERLAB_FINALIZER_GUARD=off this fails
/// within seconds ("Unknown scalar type", "alpha must not be a floating point number", wrong values or a crash); with
/// the guard it must not fail at all. AVERLAB_STRESS_SECONDS sets the duration (default 20).</summary>
[Trait("Category", Category.Slow)]
public sealed class FinalizerRaceTests(ITestOutputHelper output)
{
    private const int Batch = 4;

    private static IEnumerable<(string name, Func<EmotionModel> model, Func<ModelInputs> inputs)> Models() =>
    [
        ("audio_cnn_transformer", () => new AudioCnnTransformer(new AudioCnnTransformerOptions()), () => new ModelInputs { Audio = randn(Batch, 1, 40, 282) }),
        ("lrcn", () => new Lrcn(new LrcnOptions()), () => new ModelInputs { Frames = randn([Batch, 4, 3, 64, 64]) }),
        ("conv_lstm", () => new ConvLstm(new ConvLstmOptions { SequenceLength = 4, FrameSize = 32 }), () => new ModelInputs { Frames = randn([Batch, 4, 3, 32, 32]) }),
        ("face_resnet", () => new FaceResNet(new FaceResNetOptions { LandmarkCount = 136, DenseLayers = 2 }),
            () => new ModelInputs { Image = randn(Batch, 1, 48, 48), Landmarks = randn(Batch, 136) }),
        ("audio_resnet", () => new AudioResNet(new AudioResNetOptions()), () => new ModelInputs { Audio = randn(Batch, 3, 126, 13) }),
        ("av_fusion_lstm", () => new AvFusionLstm(new AvFusionLstmOptions { UseSentiment = true }),
            () => new ModelInputs { Frames = randn([Batch, 2, 3, 64, 64]), Audio = randn(Batch, 3, 126, 13), Sentiment = randn(Batch, 9) }),
        ("av_transformer", () => new AvTransformer(new AvTransformerOptions()), () => new ModelInputs { Features = randn(Batch, 552) }),
        ("feature_mlp", () => new FeatureMlp(new FeatureMlpOptions { PcaComponents = 32 }), () => new ModelInputs { Features = randn(Batch, 180) }),
    ];

    [Fact]
    public void EveryModelTrainsWhileAnotherThreadCollects()
    {
        Assert.True(FinalizerGuard.IsActive || Environment.GetEnvironmentVariable("AVERLAB_FINALIZER_GUARD") == "off",
            $"the finalizer guard is {FinalizerGuard.State}");
        var seconds = double.TryParse(Environment.GetEnvironmentVariable("AVERLAB_STRESS_SECONDS"), out var s) ? s : 20;
        var models = Models().Select(m => (m.name, model: m.model(), m.inputs)).ToList();
        var optimizers = models.Select((m, i) => i % 2 == 0
            ? (TorchSharp.Modules.OptimizerHelper)Optimizers.Adam(m.model.parameters(), 1e-4)
            : Optimizers.Sgd(m.model.parameters(), 1e-3, momentum: 0.9)).ToList();
        using var stop = new CancellationTokenSource();
        long collections = 0;
        var collector = new Thread(() =>
        {
            var junk = new List<byte[]>();
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < 64; i++) junk.Add(new byte[1024]);
                if (junk.Count > 4096) junk.Clear();
                GC.Collect();
                Interlocked.Increment(ref collections);
            }
        }) { IsBackground = true, Name = "collector" };
        var sw = Stopwatch.StartNew();
        var steps = new int[models.Count];
        collector.Start();
        try
        {
            while (sw.Elapsed.TotalSeconds < seconds)
                for (var m = 0; m < models.Count; m++)
                {
                    var (name, model, inputs) = models[m];
                    using var scope = NewDisposeScope();
                    model.train();
                    var x = inputs();
                    var labels = arange(Batch).remainder(model.NumClasses).@long();
                    var logits = model.forward(x);
                    var loss = F.cross_entropy(logits, labels);
                    var value = loss.item<float>();
                    Assert.True(double.IsFinite(value), $"{name}: loss {value} at step {steps[m]}");
                    model.zero_grad();
                    loss.backward();
                    optimizers[m].step();
                    steps[m]++;
                }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
            foreach (var o in optimizers) o.Dispose();
            foreach (var (_, model, _) in models) model.Dispose();
        }
        var (deferred, released, held) = FinalizerGuard.Stats();
        output.WriteLine($"guard {FinalizerGuard.State}; {sw.Elapsed.TotalSeconds:F1} s, {Interlocked.Read(ref collections)} collections; steps " +
            string.Join(", ", models.Select((m, i) => $"{m.name} {steps[i]}")) + $"; finalized handles held {deferred}, released {released}, held now {held}");
        Assert.All(steps, n => Assert.True(n > 0));
    }
}
