using AverLab.Torch.Native;

namespace AverLab.Torch;

// In-place sampling (used by nn.init).
public partial class Tensor
{
    public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        NativeErrors.Check(LibTorch.alt_uniform_(Handle, from, to, generator?.Handle ?? IntPtr.Zero));
        GC.KeepAlive(generator);
        return this;
    }

    public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        NativeErrors.Check(LibTorch.alt_normal_(Handle, mean, std, generator?.Handle ?? IntPtr.Zero));
        GC.KeepAlive(generator);
        return this;
    }

    public Tensor bernoulli_(double p = 0.5, Generator? generator = null)
    {
        NativeErrors.Check(LibTorch.alt_bernoulli_(Handle, p, generator?.Handle ?? IntPtr.Zero));
        GC.KeepAlive(generator);
        return this;
    }
}
