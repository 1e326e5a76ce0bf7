using System.Diagnostics;
using AverLab.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AverLab.Bench;

/// <summary>`convs [nchw]`: forward + backward of each convolution shape of the face ResNet34 step (batch 64, 64 x 64
/// faces), best of 7 after a warm-up, as the model runs it (channels-last; small maps and the 1x1 downsamples as matrix products), and the
/// total weighted by each shape's count in the model; bench/convs.py times the same in PyTorch as a user runs it
/// (NCHW). Says whether a model's ratio comes from its convolutions or from the rest of the step.</summary>
internal static class ConvLayers
{
    internal static readonly (string Name, int In, int Out, int Size, int Kernel, int Stride, int Count)[] Shapes =
    [
        ("stem", 3, 64, 64, 7, 2, 1), ("l1", 64, 64, 16, 3, 1, 6), ("l2a", 64, 128, 16, 3, 2, 1), ("l2ds", 64, 128, 16, 1, 2, 1),
        ("l2", 128, 128, 8, 3, 1, 7), ("l3a", 128, 256, 8, 3, 2, 1), ("l3ds", 128, 256, 8, 1, 2, 1), ("l3", 256, 256, 4, 3, 1, 11),
        ("l4a", 256, 512, 4, 3, 2, 1), ("l4ds", 256, 512, 4, 1, 2, 1), ("l4", 512, 512, 2, 3, 1, 5),
    ];

    /// <summary>BasicBlock's channels-last downsample: the 1x1 convolution as the matrix product on the strided view.</summary>
    private static Tensor Downsample(TorchSharp.Modules.Conv2d conv, Tensor x, long stride) =>
        x[.., .., TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)]
            .permute(0, 2, 3, 1).matmul(conv.weight!.flatten(1).t()).permute(0, 3, 1, 2);

    public static void Run(string[] args)
    {
        var channelsLast = args.Length == 0 || args[0] != "nchw";
        set_num_threads(2);
        double total = 0;
        foreach (var (name, cin, cout, size, k, stride, count) in Shapes)
        {
            manual_seed(0);
            using var scope = NewDisposeScope();
            var conv = nn.Conv2d(cin, cout, k, stride: stride, padding: k / 2, bias: false);
            var x = randn(64, cin, size, size);
            if (channelsLast) { conv.ToChannelsLast(); x = x.ToChannelsLast(); }
            x.requires_grad_(name != "stem");
            double fwd = double.MaxValue, bwd = double.MaxValue;
            for (var i = 0; i < 8; i++)
            {
                using var step = NewDisposeScope();
                var t0 = Stopwatch.GetTimestamp();
                var y = k == 3 && stride == 1 ? Conv.conv3x3(conv, x) : k == 1 && channelsLast ? Downsample(conv, x, stride) : conv.forward(x);
                var t1 = Stopwatch.GetTimestamp();
                y.backward([ones_like(y)]);
                var t2 = Stopwatch.GetTimestamp();
                x.grad?.Dispose();
                x.grad = null;
                conv.zero_grad(set_to_none: true);
                if (i == 0) continue;
                fwd = Math.Min(fwd, Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                bwd = Math.Min(bwd, Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            }
            total += count * (fwd + bwd);
            Console.WriteLine($"convs.{name} averlab={fwd + bwd:F3} unit=ms threads=2 forward={fwd:F2} count={count}");
        }
        Console.WriteLine($"convs.weighted_total averlab={total:F3} unit=ms threads=2 layout={(channelsLast ? "channels_last" : "nchw")}");
    }
}
