using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>Channels-last (NHWC) layout for convolution weights and activations. TorchSharp exposes no memory_format
/// argument, but libtorch decides a tensor's format from its strides: a 4-D tensor permuted to NHWC, made contiguous and
/// permuted back has exactly torch.channels_last strides, so libtorch's convolutions run their NHWC kernels on it
/// (and autograd keeps gradients, zeros_like optimizer state and outputs in the same layout).</summary>
public static class MemoryLayout
{
    /// <summary>x.contiguous(memory_format=torch.channels_last) for a 4-D tensor; other ranks are returned as they are.</summary>
    public static Tensor ToChannelsLast(this Tensor x)
    {
        if (x.dim() != 4 || IsChannelsLast(x)) return x.alias();
        using var nhwc = x.permute(0, 2, 3, 1);
        using var c = nhwc.contiguous();
        return c.permute(0, 3, 1, 2);
    }

    /// <summary>Whether a 4-D tensor's strides are channels-last (C fastest, then W, H, N).</summary>
    public static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 4) return false;
        var (s, n) = (x.stride(), x.shape);
        return s[1] == 1 && s[3] == n[1] && s[2] == n[1] * n[3] && s[0] == n[1] * n[2] * n[3];
    }

    /// <summary>Module.to(memory_format=torch.channels_last): re-lays every 4-D parameter in place (same values, same
    /// Parameter objects, so an optimizer built before or after sees the same tensors).</summary>
    public static T ToChannelsLast<T>(this T module) where T : nn.Module
    {
        using var noGrad = no_grad();
        foreach (var p in module.parameters())
            if (p.dim() == 4 && !IsChannelsLast(p))
                using (var nhwc = p.ToChannelsLast())
                    p.set_(nhwc);
        return module;
    }

    /// <summary>Stops gradients to every parameter (a frozen pretrained encoder).</summary>
    public static void freeze(this nn.Module module)
    {
        foreach (var p in module.parameters()) p.requires_grad = false;
    }
}
