using System.Text;
using AverLab.Torch.Native;

namespace AverLab.Torch;

// Autograd on a tensor: requires_grad, backward, grad, detach.
public partial class Tensor
{
    public bool requires_grad
    {
        get
        {
            var r = LibTorch.alt_requires_grad(Handle);
            NativeErrors.Check(r);
            return r == 1;
        }
        set => NativeErrors.Check(LibTorch.alt_set_requires_grad(Handle, value ? 1 : 0));
    }

    public Tensor requires_grad_(bool requires_grad = true)
    {
        this.requires_grad = requires_grad;
        return this;
    }

    public bool is_leaf
    {
        get
        {
            var r = LibTorch.alt_is_leaf(Handle);
            NativeErrors.Check(r);
            return r == 1;
        }
    }

    /// <summary>The accumulated gradient, or null when none has been computed. Each read returns a new handle
    /// to the same storage (dispose it, or read it inside a scope). Setting null clears it.</summary>
    public Tensor? grad
    {
        get
        {
            var r = WrapOptional(LibTorch.alt_grad(Handle));
            GC.KeepAlive(this);
            return r;
        }
        set
        {
            NativeErrors.Check(LibTorch.alt_set_grad(Handle, value?.Handle ?? IntPtr.Zero));
            GC.KeepAlive(value);
        }
    }

    /// <summary>Computes gradients of this tensor w.r.t. graph leaves. A non-scalar needs a gradient.</summary>
    public void backward(Tensor? gradient = null, bool? retain_graph = null, bool create_graph = false)
    {
        var rc = LibTorch.alt_backward(Handle, gradient?.Handle ?? IntPtr.Zero,
            retain_graph.HasValue ? (retain_graph.Value ? 1 : 0) : -1, create_graph ? 1 : 0);
        GC.KeepAlive(gradient);
        NativeErrors.Check(rc);
    }

    public Tensor detach() => Unary(UnaryOp.Detach);
    public Tensor detach_() => UnaryInPlace(UnaryOp.Detach);

    public Tensor retain_grad()
    {
        NativeErrors.Check(LibTorch.alt_retain_grad(Handle));
        return this;
    }

    /// <summary>Name of the autograd node that produced this tensor ("AddBackward0"), or null for a leaf.</summary>
    public unsafe string? grad_fn
    {
        get
        {
            Span<byte> buf = stackalloc byte[256];
            int n;
            fixed (byte* p = buf) n = LibTorch.alt_grad_fn_name(Handle, p, buf.Length);
            NativeErrors.Check(n);
            return n == 0 ? null : Encoding.UTF8.GetString(buf[..Math.Min(n, buf.Length - 1)]);
        }
    }
}
