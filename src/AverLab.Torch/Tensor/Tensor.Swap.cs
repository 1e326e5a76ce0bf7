using AverLab.Torch.Native;

namespace AverLab.Torch;

// Handle replacement, so that nn.Module.to(device/dtype) keeps the very same Parameter and buffer objects
// (optimizers created earlier hold references to them).
public partial class Tensor
{
    /// <summary>Makes this object own <paramref name="replacement"/>'s native tensor and frees its own.
    /// <paramref name="replacement"/> is left disposed (it no longer owns anything).</summary>
    internal void SwapHandle(Tensor replacement)
    {
        var fresh = System.Threading.Interlocked.Exchange(ref replacement.handle, IntPtr.Zero);
        if (fresh == IntPtr.Zero) throw new ObjectDisposedException(nameof(Tensor), "the replacement tensor was disposed");
        replacement.OwningScope = null;
        GC.SuppressFinalize(replacement);
        System.Threading.Interlocked.Decrement(ref liveCount);
        var old = System.Threading.Interlocked.Exchange(ref handle, fresh);
        shapeCache = null;
        dtypeCache = -1;
        if (old != IntPtr.Zero) LibTorch.alt_free(old);
        else System.Threading.Interlocked.Increment(ref liveCount);
    }

    /// <summary>A new handle to the same native tensor (not a copy, not a view): disposing one leaves the other.</summary>
    internal Tensor alias()
    {
        var r = Wrap(LibTorch.alt_alias(Handle));
        GC.KeepAlive(this);
        return r;
    }
}
