using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Xunit.Abstractions;

namespace AverLab.Models.Tests;

/// <summary>The engine itself: TorchSharp's native libraries load in this process (libLibTorchSharp.so patched by
/// build/TorchSharpNative.targets on Debian 12) and compute, and a training loop frees every tensor it makes.</summary>
public sealed class EngineTests(ITestOutputHelper output)
{
    [Fact]
    public void TorchSharpLoadsAndComputes()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        var b = tensor(new float[] { 5, 6, 7, 8 }).reshape(2, 2);
        var c = a.matmul(b);
        Assert.Equal([19f, 22f, 43f, 50f], c.data<float>().ToArray());
        Assert.Equal(ScalarType.Float32, c.dtype);
        Assert.Equal(DeviceType.CPU, c.device_type);
        // A native module too (libtorch's C++ TransformerEncoderLayer), not only managed arithmetic.
        using var layer = nn.TransformerEncoderLayer(8, 2, 16, 0.0);
        layer.eval();
        using (no_grad()) Assert.Equal([3L, 2L, 8L], layer.call(randn(3, 2, 8), null!).shape);
        output.WriteLine($"intra-op threads {get_num_threads()}");
    }

    /// <summary>On a non-Intel x86-64 Linux CPU the engine answered MKL's vendor check (native/mkl-dispatch): MKL's own
    /// CPU detection, asked through libtorch, reports an optimized branch instead of 0 (the generic one it gives a
    /// non-Intel CPU as shipped: 0 vs 7 on this project's AMD EPYC), and the kernels it then runs multiply right. Under
    /// AVERLAB_MKL_DISPATCH=vendor the same probe reads 0.</summary>
    [Fact]
    public unsafe void MklPicksKernelsByCpuFeaturesOnNonIntelCpus()
    {
        var vendor = Engine.CpuVendor();
        output.WriteLine($"cpu vendor {vendor}, MKL dispatch {Engine.MklDispatch}");
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture !=
            System.Runtime.InteropServices.Architecture.X64 || vendor is null or "GenuineIntel")
        {
            Assert.Equal("vendor", Engine.MklDispatch);
            return;
        }
        var optedOut = Environment.GetEnvironmentVariable("AVERLAB_MKL_DISPATCH") == "vendor";
        Assert.Equal(optedOut ? "vendor" : "cpu-features", Engine.MklDispatch);
        using var scope = NewDisposeScope();
        var a = randn(300, 257, dtype: ScalarType.Float64);
        var b = randn(257, 190, dtype: ScalarType.Float64);
        var product = a.@float().matmul(b.@float()); // libtorch's CPU matmul is MKL's sgemm
        var libtorch = Directory.GetFiles(AppContext.BaseDirectory, "libtorch_cpu.so", SearchOption.AllDirectories).Single();
        var detect = (delegate* unmanaged<int>)System.Runtime.InteropServices.NativeLibrary.GetExport(
            System.Runtime.InteropServices.NativeLibrary.Load(libtorch), "mkl_serv_cpu_detect");
        var branch = detect();
        Assert.Equal(branch, Engine.MklBranch); // the engine's own probe finds the same library
        output.WriteLine($"MKL CPU branch {branch}");
        if (optedOut) Assert.Equal(0, branch); // AVERLAB_MKL_DISPATCH=vendor: MKL as shipped
        else Assert.True(branch > 0, $"MKL runs its generic branch (0) on this {vendor} CPU: the vendor check was not answered");
        var error = (product.@double() - a.matmul(b)).abs().max().item<double>();
        Assert.True(error < 1e-4, $"sgemm max error {error}");
    }

    public static TheoryData<string> SmallModels() => new(["feature_mlp", "av_transformer", "lrcn", "conv_lstm", "audio_cnn_transformer"]);

    private static (EmotionModel model, Func<ModelInputs> inputs) Small(string name) => name switch
    {
        "feature_mlp" => (new FeatureMlp(new FeatureMlpOptions { InputSize = 20, PcaComponents = 8, HiddenSizes = [16] }),
            () => new ModelInputs { Features = randn(8, 20) }),
        "av_transformer" => (new AvTransformer(new AvTransformerOptions { InputSize = 20, DModel = 16, FeedForward = 32, HeadHidden = 8 }),
            () => new ModelInputs { Features = randn(8, 20) }),
        "lrcn" => (new Lrcn(new LrcnOptions { FrameSize = 16, Pools = [2, 2, 2, 2] }), () => new ModelInputs { Frames = randn([4, 3, 3, 16, 16]) }),
        "conv_lstm" => (new ConvLstm(new ConvLstmOptions { SequenceLength = 3, FrameSize = 16, Filters = [2, 3] }),
            () => new ModelInputs { Frames = randn([4, 3, 3, 16, 16]) }),
        "audio_cnn_transformer" => (new AudioCnnTransformer(new AudioCnnTransformerOptions { Frames = 64, TransformerLayers = 1 }),
            () => new ModelInputs { Audio = randn(4, 1, 40, 64) }),
        _ => throw new ArgumentException(name),
    };

    /// <summary>torch.Tensor.TotalCount (live managed tensors) after a model, its Adam optimizer and its inputs are
    /// built, trained for a few steps in train mode (dropout on) and an eval forward, and disposed, is where it is after
    /// the same objects are built and disposed without training: nothing a forward, backward or optimizer step makes
    /// outlives its dispose scope or its owner. (Building alone does not return TotalCount to where it was: TorchSharp
    /// 0.107's Parameter(Tensor) takes the native handle out of the tensor it wraps, and that emptied wrapper is never
    /// counted down: one per managed parameter, nn.Linear's included, bounded below.) Between steps the count is steady.</summary>
    [Theory]
    [MemberData(nameof(SmallModels))]
    public void TrainingLoopLeavesNoLiveTensors(string name)
    {
        // Control: build and dispose.
        Settle();
        var start = Tensor.TotalCount;
        int parameterTensors;
        {
            var (model, opt, inputs, labels) = Build(name);
            parameterTensors = model.parameters().Count();
            Dispose(model, opt, inputs, labels);
        }
        Settle();
        var buildOnly = Tensor.TotalCount - start;
        Assert.InRange(buildOnly, 0, parameterTensors);

        Settle();
        start = Tensor.TotalCount;
        var counts = new List<long>();
        {
            var (model, opt, inputs, labels) = Build(name);
            model.train();
            counts.Add(Tensor.TotalCount);
            for (var step = 0; step < 5; step++)
            {
                using (NewDisposeScope())
                {
                    opt.zero_grad();
                    var loss = F.cross_entropy(model.forward(inputs), labels);
                    loss.backward();
                    opt.step();
                }
                counts.Add(Tensor.TotalCount);
            }
            model.eval();
            using (NewDisposeScope())
            using (no_grad())
                model.forward(inputs);
            counts.Add(Tensor.TotalCount);
            Dispose(model, opt, inputs, labels);
        }
        Settle();
        var trained = Tensor.TotalCount - start;
        output.WriteLine($"{name}: {parameterTensors} parameter tensors; left by build + dispose {buildOnly}, by build + train + dispose {trained}; " +
            $"live tensors built, after each step, after eval: {string.Join(", ", counts)}");
        Assert.All(counts.Skip(2), c => Assert.Equal(counts[2], c));       // from the second step on: steady
        Assert.Equal(buildOnly, trained);
    }

    private static (EmotionModel model, optim.Optimizer opt, ModelInputs inputs, Tensor labels) Build(string name)
    {
        manual_seed(5);
        var (model, makeInputs) = Small(name);
        var inputs = makeInputs();
        if (model is FeatureMlp mlp) mlp.FitPreprocessing(inputs.Features!);
        Tensor labels;
        using (var scope = NewDisposeScope())
            labels = arange(inputs.BatchSize).remainder(model.NumClasses).@long().MoveToOuterDisposeScope();
        return (model, optim.Adam(model.parameters(), lr: 1e-3), inputs, labels);
    }

    private static void Dispose(EmotionModel model, optim.Optimizer opt, ModelInputs inputs, Tensor labels)
    {
        opt.Dispose();
        model.Dispose();
        labels.Dispose();
        foreach (var t in new[] { inputs.Audio, inputs.Frames, inputs.Image, inputs.Landmarks, inputs.Features, inputs.Sentiment }) t?.Dispose();
    }

    /// <summary>Earlier tests' garbage finalised now, not during the measurement.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
