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
}
