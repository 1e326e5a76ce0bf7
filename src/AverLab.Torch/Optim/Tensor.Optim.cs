using AverLab.Torch.Native;

namespace AverLab.Torch;

// The fused element-wise ops of PyTorch's optimizers (native/src/optim_ops.cpp).
public partial class Tensor
{
    /// <summary>self + value * tensor1 * tensor2 (https://pytorch.org/docs/1.13/generated/torch.addcmul.html).</summary>
    public Tensor addcmul(Tensor tensor1, Tensor tensor2, double value = 1)
    {
        var r = Wrap(LibTorch.alt_addcmul(Handle, tensor1.Handle, tensor2.Handle, value));
        GC.KeepAlive(this);
        GC.KeepAlive(tensor1);
        GC.KeepAlive(tensor2);
        return r;
    }

    public Tensor addcmul_(Tensor tensor1, Tensor tensor2, double value = 1)
    {
        NativeErrors.Check(LibTorch.alt_addcmul_(Handle, tensor1.Handle, tensor2.Handle, value));
        GC.KeepAlive(tensor1);
        GC.KeepAlive(tensor2);
        return this;
    }

    /// <summary>self + value * tensor1 / tensor2 (https://pytorch.org/docs/1.13/generated/torch.addcdiv.html).</summary>
    public Tensor addcdiv(Tensor tensor1, Tensor tensor2, double value = 1)
    {
        var r = Wrap(LibTorch.alt_addcdiv(Handle, tensor1.Handle, tensor2.Handle, value));
        GC.KeepAlive(this);
        GC.KeepAlive(tensor1);
        GC.KeepAlive(tensor2);
        return r;
    }

    public Tensor addcdiv_(Tensor tensor1, Tensor tensor2, double value = 1)
    {
        NativeErrors.Check(LibTorch.alt_addcdiv_(Handle, tensor1.Handle, tensor2.Handle, value));
        GC.KeepAlive(tensor1);
        GC.KeepAlive(tensor2);
        return this;
    }

    /// <summary>torch.maximum(this, other, out=output): the element-wise maximum written into output.</summary>
    public Tensor maximum(Tensor other, Tensor output)
    {
        NativeErrors.Check(LibTorch.alt_maximum_out(output.Handle, Handle, other.Handle));
        GC.KeepAlive(this);
        GC.KeepAlive(other);
        return output;
    }
}
