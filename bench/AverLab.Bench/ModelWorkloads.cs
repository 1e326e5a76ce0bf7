using AverLab.Models;
using AverLab.Torch;
using static AverLab.Torch.torch;
using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Bench;

/// <summary>AverLab side of `bench/compare models` (PyTorch side: bench/models.py, the same workloads): one full training
/// step per model — forward, cross-entropy, backward, optimizer step — inside a dispose scope, at the seeds' batch sizes.
/// Usage: AverLab.Bench models [threads] [model ...]. Prints per model
///   models.&lt;name&gt; averlab=&lt;us&gt; unit=us threads=&lt;n&gt;           at the given thread count (default 2), as PyTorch's line;
///                                                             engine and model defaults that keep PyTorch's numerics
///                                                             (block-wise dropout masks bit-equal to libtorch's, fused
///                                                             Adam, channels_last where the model defaults to it,
///                                                             convolution dead-tap trimming)
///   models.&lt;name&gt;.defaults averlab=&lt;us&gt; unit=us threads=&lt;n&gt;  AverLab's defaults: the above plus the model's
///                                                             PreferredThreads (0 = every logical core), set_to_none
///                                                             zero_grad and the training workbench's fast hash dropout
///                                                             masks
/// A/B switch: AVERLAB_BENCH_FUSED_OPTIMIZERS=0 turns fused Adam off; model.params.channels_last=false (configs) turns
/// the layout off per model.</summary>
internal static class ModelWorkloads
{
    /// <summary>The line reports the fastest of <paramref name="Steps"/> single timed steps (after one warm-up step),
    /// about 3 s of steps per model: on a shared 2-core VM, where a burst of load from elsewhere lands on some steps,
    /// the fastest step is the stable measure of a step's own cost. bench/models.py uses the same counts.</summary>
    private sealed record Workload(Func<EmotionModel> Model, Func<ModelInputs> Inputs, int Batch, bool Sgd, int Steps);

    private static readonly Dictionary<string, Workload> Workloads = new()
    {
        ["audio_cnn_transformer"] = new(() => new AudioCnnTransformer(new()), () => new() { Audio = randn(32, 1, 40, 282) }, 32, true, 10),
        ["lrcn"] = new(() => new Lrcn(new()), () => new() { Frames = randn(8, 30, 3, 64, 64) }, 8, false, 20),
        ["conv_lstm"] = new(() => new ConvLstm(new()), () => new() { Frames = randn(8, 30, 3, 64, 64) }, 8, false, 6),
        ["face_resnet34"] = new(() => new FaceResNet(new() { Depth = 34 }), () => new() { Image = randn(64, 3, 64, 64) }, 64, false, 6),
        ["audio_resnet"] = new(() => new AudioResNet(new()), () => new() { Audio = randn(32, 3, 126, 13) }, 32, false, 20),
        ["av_fusion_lstm"] = new(() => new AvFusionLstm(new()),
            () => new() { Frames = randn(8, 8, 3, 64, 64), Audio = randn(8, 3, 126, 13) }, 8, false, 8),
        ["av_transformer"] = new(() => new AvTransformer(new()), () => new() { Features = randn(32, 552) }, 32, false, 1000),
        ["feature_mlp"] = new(() => new FeatureMlp(new()), () => new() { Features = randn(32, 180) }, 32, false, 6000),
    };

    private static double StepTime(string name, int threads, Func<EmotionModel, int>? threadPolicy = null)
    {
        var w = Workloads[name];
        manual_seed(0);
        using var model = w.Model();
        var n = threadPolicy?.Invoke(model) ?? threads;
        set_num_threads(n);
        using var scope = NewDisposeScope();
        var inputs = w.Inputs();
        var labels = arange(w.Batch).remainder(model.NumClasses).@long();
        model.train();
        using AverLab.Torch.Optim.Optimizer opt = w.Sgd
            ? optim.SGD(model.parameters(), lr: 0.01, momentum: 0.8, weight_decay: 1e-3)
            : optim.Adam(model.parameters(), lr: 1e-3);
        if (PhaseIterations > 0 && threadPolicy is null) PrintPhases(name, threads, model, inputs, labels, opt);
        return Timing.FastestSingleRun(() =>
        {
            using var step = NewDisposeScope();
            var loss = F.cross_entropy(model.forward(inputs), labels);
            opt.zero_grad();
            loss.backward();
            opt.step();
        }, w.Steps, warmup: 1);
    }

    /// <summary>AVERLAB_BENCH_PHASES=n: before a model's line, time n single steps phase by phase (forward with the loss,
    /// zero_grad, backward, optimizer step) and print the min and median of each to stderr; bench/models.py does the
    /// same with BENCH_PHASES=n. For finding where a step's time goes, not for the ratio.</summary>
    private static readonly int PhaseIterations =
        int.TryParse(Environment.GetEnvironmentVariable("AVERLAB_BENCH_PHASES"), out var n) ? n : 0;

    private static void PrintPhases(string name, int threads, EmotionModel model, ModelInputs inputs, Tensor labels,
        AverLab.Torch.Optim.Optimizer opt)
    {
        var phases = new[] { "forward", "zero_grad", "backward", "step", "total" };
        var times = phases.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i <= PhaseIterations; i++)
        {
            using var step = NewDisposeScope();
            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            var loss = F.cross_entropy(model.forward(inputs), labels);
            var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            opt.zero_grad();
            var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            loss.backward();
            var t3 = System.Diagnostics.Stopwatch.GetTimestamp();
            opt.step();
            var t4 = System.Diagnostics.Stopwatch.GetTimestamp();
            if (i == 0) continue; // warm-up
            long[] marks = [t0, t1, t2, t3, t4];
            for (var k = 0; k < 4; k++) times[k].Add((marks[k + 1] - marks[k]) * 1e3 / System.Diagnostics.Stopwatch.Frequency);
            times[4].Add((t4 - t0) * 1e3 / System.Diagnostics.Stopwatch.Frequency);
        }
        var parts = phases.Select((p, k) =>
        {
            var sorted = times[k].Order().ToArray();
            return $"{p}={sorted[0]:F1}/{sorted[sorted.Length / 2]:F1}";
        });
        Console.Error.WriteLine($"phases.{name} averlab threads={threads} ms(min/median): {string.Join(" ", parts)}");
    }

    public static void Run(string[] args)
    {
        // AVERLAB_BENCH_FUSED_OPTIMIZERS=0: Adam op by op (PyTorch's kernels), for A/B of the fused pass.
        if (Environment.GetEnvironmentVariable("AVERLAB_BENCH_FUSED_OPTIMIZERS") == "0") EngineOptions.FusedOptimizers = false;
        var threads = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2;
        var names = args.Length > 1 ? args[1..] : Workloads.Keys.ToArray();
        var unknown = names.Where(n => !Workloads.ContainsKey(n)).ToArray();
        if (unknown.Length > 0)
        {
            Console.Error.WriteLine($"AverLab.Bench models: unknown model(s) {string.Join(", ", unknown)} (known: {string.Join(", ", Workloads.Keys)})");
            Environment.Exit(2);
        }
        foreach (var name in names)
        {
            Console.WriteLine($"models.{name} averlab={StepTime(name, threads) * 1e6:F1} unit=us threads={threads}");
            var chosen = 0;
            // The workbench's default (training.dropout_masks: fast); the matched line keeps PyTorch's masks.
            EngineOptions.FastDropoutMasks = true;
            var t = StepTime(name, threads, m => chosen = m.PreferredThreads <= 0 ? Environment.ProcessorCount : m.PreferredThreads);
            EngineOptions.FastDropoutMasks = false;
            Console.WriteLine($"models.{name}.defaults averlab={t * 1e6:F1} unit=us threads={chosen}");
        }
    }
}
