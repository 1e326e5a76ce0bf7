using AverLab.Torch.Native;

namespace AverLab.Torch;

// Random numbers: the global generator, explicit generators, and sampling factories.
public static partial class torch
{
    private static Generator? defaultGenerator;

    /// <summary>Seeds the global CPU generator (torch.manual_seed) and returns it.</summary>
    public static Generator manual_seed(long seed)
    {
        NativeErrors.Check(LibTorch.alt_manual_seed(unchecked((ulong)seed)));
        return default_generator;
    }

    /// <summary>The global CPU generator (torch.default_generator).</summary>
    public static Generator default_generator =>
        defaultGenerator ??= new Generator(NativeErrors.Check(LibTorch.alt_default_generator()));

    private unsafe delegate IntPtr RandomFactory(long* shape, int ndim, IntPtr g, int dtype, int dev, int devIdx, int rg);

    private static unsafe Tensor MakeRandom(RandomFactory f, long[] size, Generator? generator, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var dev = device ?? Device.CPU;
        IntPtr r;
        fixed (long* p = size)
            r = f(p, size.Length, generator?.Handle ?? IntPtr.Zero, (int)(dtype ?? defaultDtype), (int)dev.type, dev.index, requires_grad ? 1 : 0);
        GC.KeepAlive(generator);
        return Tensor.Wrap(r);
    }

    public static unsafe Tensor rand(params long[] size) => MakeRandom(LibTorch.alt_rand, size, null, null, null, false);
    public static unsafe Tensor rand(long[] size, Generator? generator = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        MakeRandom(LibTorch.alt_rand, size, generator, dtype, device, requires_grad);
    public static unsafe Tensor randn(params long[] size) => MakeRandom(LibTorch.alt_randn, size, null, null, null, false);
    public static unsafe Tensor randn(long[] size, Generator? generator = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        MakeRandom(LibTorch.alt_randn, size, generator, dtype, device, requires_grad);

    public static unsafe Tensor randint(long low, long high, long[] size, Generator? generator = null, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? Device.CPU;
        IntPtr r;
        fixed (long* p = size)
            r = LibTorch.alt_randint(low, high, p, size.Length, generator?.Handle ?? IntPtr.Zero, (int)(dtype ?? ScalarType.Int64), (int)dev.type, dev.index);
        GC.KeepAlive(generator);
        return Tensor.Wrap(r);
    }

    public static Tensor randint(long high, long[] size, Generator? generator = null) => randint(0, high, size, generator);

    public static Tensor randperm(long n, Generator? generator = null, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? Device.CPU;
        var r = LibTorch.alt_randperm(n, generator?.Handle ?? IntPtr.Zero, (int)(dtype ?? ScalarType.Int64), (int)dev.type, dev.index);
        GC.KeepAlive(generator);
        return Tensor.Wrap(r);
    }

    public static Tensor multinomial(Tensor probs, long num_samples, bool replacement = false, Generator? generator = null)
    {
        var r = LibTorch.alt_multinomial(probs.Handle, num_samples, replacement ? 1 : 0, generator?.Handle ?? IntPtr.Zero);
        GC.KeepAlive(probs);
        GC.KeepAlive(generator);
        return Tensor.Wrap(r);
    }
}
