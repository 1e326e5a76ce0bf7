using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Bench;

/// <summary>The engine workloads of bench/compare engine; bench/engine.py runs the same in PyTorch.</summary>
internal static class EngineWorkloads
{
    public static void Run()
    {
        set_num_threads(1);
        Console.WriteLine($"engine.per_op averlab={PerOp() * 1e6:F3} unit=us threads=1");
        Console.WriteLine($"engine.small_step averlab={SmallStep() * 1e6:F2} unit=us threads=1");
        set_num_threads(2);
        var mm = Matmul();
        Console.WriteLine($"engine.matmul averlab={mm * 1e3:F3} unit=ms threads=2 gflops={2.0 * 1024 * 1024 * 1024 / mm / 1e9:F1}");
        Console.WriteLine($"engine.adam_ops averlab={AdamOps() * 1e3:F3} unit=ms threads=2");
    }

    /// <summary>The elementwise ops of one Adam step (PyTorch 1.13's single-tensor order) on a 4M-float parameter: the
    /// optimizer's share of a ResNet step is these ops' memory traffic.</summary>
    private static double AdamOps()
    {
        manual_seed(0);
        using var p = randn(4_000_000);
        using var g = randn(4_000_000);
        using var m = zeros(4_000_000);
        using var v = zeros(4_000_000);
        return Timing.SecondsPerIteration(n =>
        {
            for (var i = 0; i < n; i++)
            {
                m.mul_(0.9).add_(g, 0.1);
                v.mul_(0.999).addcmul_(g, g, 0.001);
                using var denom = v.sqrt();
                denom.div_(0.5).add_(1e-8);
                p.addcdiv_(m, denom, -1e-3);
            }
        }, 20, repeats: 5, warmup: 3);
    }

    /// <summary>1-element add, the result freed each time.</summary>
    private static double PerOp()
    {
        using var a = ones(1);
        using var b = ones(1);
        return Timing.SecondsPerIteration(n =>
        {
            for (var i = 0; i < n; i++)
            {
                using var c = a + b;
            }
        }, 1_000_000);
    }

    /// <summary>32x40 @ 40x8, relu, sum, backward — the shape of a tiny training step.</summary>
    private static double SmallStep()
    {
        manual_seed(0);
        using var x = randn(32, 40);
        using var w = randn(new long[] { 40, 8 }, requires_grad: true);
        return Timing.SecondsPerIteration(n =>
        {
            for (var i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                x.matmul(w).relu().sum().backward();
                w.grad = null;
            }
        }, 50_000);
    }

    private static double Matmul()
    {
        manual_seed(0);
        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        return Timing.SecondsPerIteration(n =>
        {
            for (var i = 0; i < n; i++)
            {
                using var c = a.matmul(b);
            }
        }, 20, repeats: 5, warmup: 3);
    }
}
