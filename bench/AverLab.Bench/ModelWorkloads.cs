using AverLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AverLab.Bench;

/// <summary>AverLab side of `bench/compare models` (PyTorch side: bench/models.py, the same workloads): one full training
/// step per model — forward, cross-entropy, backward, optimizer step — inside a dispose scope, at the seeds' batch sizes,
/// on TorchSharp with the trainer's optimizers (AverLab.Models.Optim: TorchSharp's classes with PyTorch's step arithmetic).
/// Usage: AverLab.Bench models [threads] [model ...]. Prints per model
///   models.&lt;name&gt; averlab=&lt;us&gt; unit=us threads=&lt;n&gt;           at the given thread count (default 2), as PyTorch's line;
///                                                             the model's defaults (channels_last where the model
///                                                             defaults to it), AverLab's heap retention (Engine), and
///                                                             zero_grad(set_to_none) as PyTorch's matched line
///   models.&lt;name&gt;.defaults averlab=&lt;us&gt; unit=us threads=&lt;n&gt;  the same at the model's PreferredThreads
///                                                             (0 = every logical core)
/// The optimizer gets the parameter list once, materialized: TorchSharp's optimizers keep the IEnumerable they are
/// given and re-enumerate it in every step() (Module.parameters() is a lazy walk of the module tree).
/// A/B switch: AVERLAB_BENCH_CHANNELS_LAST=0|1 sets the layout of every model that has the option.</summary>
internal static class ModelWorkloads
{
    /// <summary>The line reports the fastest of <paramref name="Steps"/> single timed steps (after one warm-up step),
    /// about 3 s of steps per model: on a shared 2-core VM, where a burst of load from elsewhere lands on some steps,
    /// the fastest step is the stable measure of a step's own cost. bench/models.py uses the same counts.</summary>
    private sealed record Workload(Func<EmotionModel> Model, Func<ModelInputs> Inputs, int Batch, bool Sgd, int Steps);

    private static readonly Dictionary<string, Workload> Workloads = new()
    {
        ["audio_cnn_transformer"] = new(() => new AudioCnnTransformer(Layout(new AudioCnnTransformerOptions())), () => new() { Audio = R(32, 1, 40, 282) }, 32, true, 10),
        ["lrcn"] = new(() => new Lrcn(Layout(new LrcnOptions())), () => new() { Frames = R(8, 30, 3, 64, 64) }, 8, false, 20),
        ["conv_lstm"] = new(() => new ConvLstm(new()), () => new() { Frames = R(8, 30, 3, 64, 64) }, 8, false, 6),
        ["face_resnet34"] = new(() => new FaceResNet(Layout(new FaceResNetOptions { Depth = 34 })), () => new() { Image = R(64, 3, 64, 64) }, 64, false, 6),
        ["audio_resnet"] = new(() => new AudioResNet(Layout(new AudioResNetOptions())), () => new() { Audio = R(32, 3, 126, 13) }, 32, false, 20),
        ["av_fusion_lstm"] = new(() => new AvFusionLstm(Layout(new AvFusionLstmOptions())),
            () => new() { Frames = R(8, 8, 3, 64, 64), Audio = R(8, 3, 126, 13) }, 8, false, 8),
        ["av_transformer"] = new(() => new AvTransformer(new()), () => new() { Features = R(32, 552) }, 32, false, 1000),
        ["feature_mlp"] = new(() => new FeatureMlp(new()), () => new() { Features = R(32, 180) }, 32, false, 6000),
        ["fer_vgg"] = new(() => new FerVgg(Layout(new FerVggOptions())), () => new() { Image = R(64, 1, 48, 48) }, 64, true, 20),
    };

    private static Tensor R(params long[] shape) => randn(shape);

    /// <summary>AVERLAB_BENCH_CHANNELS_LAST=0|1: A/B of the layout (the options' ChannelsLast) on the models that have
    /// one; unset: each model's default.</summary>
    private static T Layout<T>(T options) where T : class
    {
        var ab = Environment.GetEnvironmentVariable("AVERLAB_BENCH_CHANNELS_LAST");
        if (ab is "0" or "1") typeof(T).GetProperty("ChannelsLast")?.SetValue(options, ab == "1");
        return options;
    }

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
        var parameters = model.parameters().ToArray();
        // AVERLAB_BENCH_OPTIM=torchsharp: TorchSharp's own optimizer classes instead of the trainer's (A/B).
        var own = Environment.GetEnvironmentVariable("AVERLAB_BENCH_OPTIM") != "torchsharp";
        using optim.Optimizer opt = w.Sgd
            ? own ? AverLab.Models.Optim.Optimizers.Sgd(parameters, 0.01, momentum: 0.8, weightDecay: 1e-3)
                  : optim.SGD(parameters, 0.01, momentum: 0.8, weight_decay: 1e-3)
            : own ? AverLab.Models.Optim.Optimizers.Adam(parameters, 1e-3) : optim.Adam(parameters, lr: 1e-3);
        if (PhaseIterations > 0 && threadPolicy is null) PrintPhases(name, threads, model, inputs, labels, opt);
        return Timing.FastestSingleRun(() =>
        {
            using var step = NewDisposeScope();
            var loss = F.cross_entropy(model.forward(inputs), labels);
            model.zero_grad(set_to_none: true);
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
        optim.Optimizer opt)
    {
        var phases = new[] { "forward", "zero_grad", "backward", "step", "total" };
        var times = phases.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i <= PhaseIterations; i++)
        {
            using var step = NewDisposeScope();
            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            var loss = F.cross_entropy(model.forward(inputs), labels);
            var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            model.zero_grad(set_to_none: true);
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
            return $"{p}={sorted[0]:F3}/{sorted[sorted.Length / 2]:F3}";
        });
        Console.Error.WriteLine($"phases.{name} averlab threads={threads} ms(min/median): {string.Join(" ", parts)}");
    }

    public static void Run(string[] args)
    {
        var threads = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2;
        var names = args.Length > 1 ? args[1..] : Workloads.Keys.ToArray();
        var unknown = names.Where(n => !Workloads.ContainsKey(n)).ToArray();
        if (unknown.Length > 0)
        {
            Console.Error.WriteLine($"AverLab.Bench models: unknown model(s) {string.Join(", ", unknown)} (known: {string.Join(", ", Workloads.Keys)})");
            Environment.Exit(2);
        }
        // AVERLAB_BENCH_LINES=matched|defaults: only one of the two lines (as BENCH_LINES for bench/models.py).
        var lines = Environment.GetEnvironmentVariable("AVERLAB_BENCH_LINES") ?? "both";
        foreach (var name in names)
        {
            if (lines != "defaults")
                Console.WriteLine($"models.{name} averlab={StepTime(name, threads) * 1e6:F1} unit=us threads={threads}");
            if (lines == "matched") continue;
            var chosen = 0;
            var t = StepTime(name, threads, m => chosen = m.PreferredThreads <= 0 ? Environment.ProcessorCount : m.PreferredThreads);
            Console.WriteLine($"models.{name}.defaults averlab={t * 1e6:F1} unit=us threads={chosen}");
        }
    }
}
