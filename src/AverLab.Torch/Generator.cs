using AverLab.Torch.Native;

namespace AverLab.Torch;

/// <summary>A random number generator (torch.Generator) for reproducible sampling independent of the global one.</summary>
public sealed class Generator : IDisposable
{
    private IntPtr handle;

    public Generator(ulong seed = 67280421310721UL) => handle = NativeErrors.Check(LibTorch.alt_generator_new(seed));

    internal Generator(IntPtr h) => handle = h;

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Generator));

    public Generator manual_seed(ulong seed)
    {
        NativeErrors.Check(LibTorch.alt_generator_manual_seed(Handle, seed));
        return this;
    }

    public ulong initial_seed() => LibTorch.alt_generator_initial_seed(Handle);

    /// <summary>The generator's full state as a uint8 tensor (save it to resume a random stream exactly).</summary>
    public Tensor get_state() => Tensor.Wrap(LibTorch.alt_generator_get_state(Handle));

    public Generator set_state(Tensor state)
    {
        NativeErrors.Check(LibTorch.alt_generator_set_state(Handle, state.Handle));
        GC.KeepAlive(state);
        return this;
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) LibTorch.alt_generator_free(h);
        GC.SuppressFinalize(this);
    }

    ~Generator() => Dispose();
}
