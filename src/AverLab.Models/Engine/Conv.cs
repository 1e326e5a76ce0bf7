using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AverLab.Models;

/// <summary>Convolution that sidesteps a libtorch 2.10 CPU defect (measured here, see the test): oneDNN's blocked
/// convolution backward reads the uninitialised channel padding of its 16-channel-blocked gradient buffer when
/// out_channels is not a multiple of 16, so grad_input picks up whatever the allocator left there (NaN once anything
/// went non-finite earlier in the process; garbage otherwise). Padding the weight with zero output channels to a
/// multiple of 16 and slicing the result computes the same outputs and gradients, and the padded gradient is zeros.
/// The same holds for the input side once in_channels exceeds 16 (24 or 40 channels: grad_input non-finite in 3 of 3
/// poisoned runs; 3, 8, 12 and 14 channels, which oneDNN reads unblocked, never): those inputs get zero channels too.</summary>
public static class Conv
{
    public const int Block = 16;

    /// <summary>F.conv2d(input, weight, bias, padding) with the output channels zero-padded to a multiple of 16 when
    /// they are not one (the result is a view of the real channels; reshape, not view, if it must change shape).</summary>
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? padding = null)
    {
        var f = weight.shape[0];
        var c = weight.shape[1];
        var extra = (Block - f % Block) % Block;
        var extraIn = c > Block ? (Block - c % Block) % Block : 0;
        padding ??= [0, 0];
        if (extra == 0 && extraIn == 0) return F.conv2d(input, weight, bias, padding: padding);
        using var scope = NewDisposeScope();
        var w = F.pad(weight, [0, 0, 0, 0, 0, extraIn, 0, extra]);
        var b = bias is null || extra == 0 ? bias : F.pad(bias, [0, extra]);
        var x = extraIn == 0 ? input : F.pad(input, [0, 0, 0, 0, 0, extraIn]);
        var y = F.conv2d(x, w, b, padding: padding);
        return (extra == 0 ? y : y.narrow(1, 0, f)).MoveToOuterDisposeScope();
    }

    /// <summary>Maps of at most this many positions take <see cref="conv3x3"/>'s matrix-product path.</summary>
    public const long SmallMapPositions = 4;

    /// <summary>A BasicBlock's 3x3, stride-1, padding-1 convolution without bias. On a channels-last map of at most
    /// <see cref="SmallMapPositions"/> positions (ResNet's last stage: 2x2 on 64 x 64 faces, 4x1 on MFCC images), on the
    /// CPU, while MKL runs an optimized branch (<see cref="Engine.MklBranch"/>), it is computed as im2col and one matrix
    /// product through libtorch's ops (pad, unfold, matmul), because oneDNN's convolution kernels are slow on maps this
    /// small; with MKL's generic branch the product loses, so the convolution runs (bench/RESULTS.md, "Convolutions").
    /// Same weight and state dict; same values within float rounding (the products sum in another order).</summary>
    public static Tensor conv3x3(TorchSharp.Modules.Conv2d conv, Tensor x)
    {
        if (!UsesMatrixProduct(conv, x)) return conv.forward(x);
        var weight = conv.weight!;
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], o = weight.shape[0];
        using var scope = NewDisposeScope();
        var padded = F.pad(x.permute(0, 2, 3, 1), [0, 0, 1, 1, 1, 1]);                 // B x (h+2) x (w+2) x C
        var patches = padded.unfold(1, 3, 1).unfold(2, 3, 1)                          // B x h x w x C x 3 x 3
            .permute(0, 1, 2, 4, 5, 3).reshape(b * h * w, 9 * c);                      // rows: (kh, kw, C)
        var y = patches.matmul(weight.permute(0, 2, 3, 1).reshape(o, 9 * c).t());      // a view for NHWC weights
        return y.view(b, h, w, o).permute(0, 3, 1, 2).MoveToOuterDisposeScope();       // channels-last strides
    }

    /// <summary>Whether <see cref="conv3x3"/> computes this convolution as a matrix product.</summary>
    internal static bool UsesMatrixProduct(TorchSharp.Modules.Conv2d conv, Tensor x)
    {
        var weight = conv.weight!;
        return x.dim() == 4 && x.shape[2] * x.shape[3] <= SmallMapPositions && conv.bias is null
            && x.device_type == TorchSharp.DeviceType.CPU && weight.shape[1] == x.shape[1] && weight.shape[2] == 3
            && weight.shape[3] == 3 && MemoryLayout.IsChannelsLast(x) && Engine.MklBranch > 0;
    }
}
