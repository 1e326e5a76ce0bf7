using System.Runtime.InteropServices;
using AverLab.Torch.Native;

namespace AverLab.Torch;

/// <summary>The torch namespace of PyTorch (https://pytorch.org/docs/1.13/torch.html): factories, joins,
/// random numbers, threads and grad mode. Import with <c>using static AverLab.Torch.torch;</c>.</summary>
public static partial class torch
{
    // dtype aliases, as torch.float32 etc.
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType float16 = ScalarType.Float16;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType int16 = ScalarType.Int16;
    public const ScalarType int8 = ScalarType.Int8;
    public const ScalarType uint8 = ScalarType.Byte;
    public const ScalarType @bool = ScalarType.Bool;
    public const ScalarType @float = ScalarType.Float32;
    public const ScalarType @double = ScalarType.Float64;
    public const ScalarType @long = ScalarType.Int64;
    public const ScalarType half = ScalarType.Float16;

    public static readonly Device CPU = Device.CPU;

    // memory formats, as torch.channels_last etc.
    public const MemoryFormat contiguous_format = MemoryFormat.Contiguous;
    public const MemoryFormat preserve_format = MemoryFormat.Preserve;
    public const MemoryFormat channels_last = MemoryFormat.ChannelsLast;
    public const MemoryFormat channels_last_3d = MemoryFormat.ChannelsLast3d;

    private static ScalarType defaultDtype = ScalarType.Float32;

    public static ScalarType get_default_dtype() => defaultDtype;

    public static void set_default_dtype(ScalarType dtype)
    {
        if (!dtype.IsFloatingPoint()) throw new TorchTypeException($"only floating-point types can be the default type, got {dtype.PyTorchName()}");
        defaultDtype = dtype;
    }

    public static Device device(string spec) => Device.Parse(spec);

    /// <summary>Opens a dispose scope on this thread (see <see cref="DisposeScope"/>).</summary>
    public static DisposeScope NewDisposeScope() => new();

    // ---- factories --------------------------------------------------------------------------------------------
    private unsafe delegate IntPtr Factory(long* shape, int ndim, int dtype, int dev, int devIdx, int rg);

    private static unsafe Tensor Make(Factory f, long[] size, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var dev = device ?? Device.CPU;
        fixed (long* p = size)
            return Tensor.Wrap(f(p, size.Length, (int)(dtype ?? defaultDtype), (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    public static unsafe Tensor zeros(params long[] size) => Make(LibTorch.alt_zeros, size, null, null, false);
    public static unsafe Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Make(LibTorch.alt_zeros, size, dtype, device, requires_grad);
    public static unsafe Tensor ones(params long[] size) => Make(LibTorch.alt_ones, size, null, null, false);
    public static unsafe Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Make(LibTorch.alt_ones, size, dtype, device, requires_grad);
    public static unsafe Tensor empty(params long[] size) => Make(LibTorch.alt_empty, size, null, null, false);
    public static unsafe Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Make(LibTorch.alt_empty, size, dtype, device, requires_grad);

    public static unsafe Tensor full(long[] size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? Device.CPU;
        fixed (long* p = size)
            return Tensor.Wrap(LibTorch.alt_full(p, size.Length, value, 0, (int)ScalarKind.Double, (int)(dtype ?? defaultDtype),
                (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    /// <summary>An integer fill keeps an int64 tensor, as torch.full((2,), 3) does.</summary>
    public static unsafe Tensor full(long[] size, long value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? Device.CPU;
        fixed (long* p = size)
            return Tensor.Wrap(LibTorch.alt_full(p, size.Length, value, value, (int)ScalarKind.Long, (int)(dtype ?? ScalarType.Int64),
                (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    // *_like keep the source's layout (memory_format=preserve_format, PyTorch's default): a channels_last source
    // gives a channels_last result.
    private static Tensor Like(Tensor t, int kind, ScalarType? dtype, bool requires_grad = false, double value = 0, long low = 0, long high = 0,
        Generator? generator = null)
    {
        var r = LibTorch.alt_like(t.Handle, kind, value, low, high, (int)(dtype ?? t.dtype), generator?.Handle ?? IntPtr.Zero, requires_grad ? 1 : 0);
        GC.KeepAlive(t); GC.KeepAlive(generator);
        return Tensor.Wrap(r);
    }

    public static Tensor zeros_like(Tensor t, ScalarType? dtype = null, bool requires_grad = false) => Like(t, 0, dtype, requires_grad);
    public static Tensor ones_like(Tensor t, ScalarType? dtype = null, bool requires_grad = false) => Like(t, 1, dtype, requires_grad);
    public static Tensor empty_like(Tensor t, ScalarType? dtype = null) => Like(t, 2, dtype);
    public static Tensor full_like(Tensor t, double value, ScalarType? dtype = null) => Like(t, 3, dtype, value: value);
    public static Tensor rand_like(Tensor t, ScalarType? dtype = null, Generator? generator = null) => Like(t, 4, dtype, generator: generator);
    public static Tensor randn_like(Tensor t, ScalarType? dtype = null, Generator? generator = null) => Like(t, 5, dtype, generator: generator);
    public static Tensor randint_like(Tensor t, long low, long high, Generator? generator = null) => Like(t, 6, null, low: low, high: high, generator: generator);

    /// <summary>Values from start to end (exclusive) by step; int64 when all bounds are integers, as in PyTorch.</summary>
    public static Tensor arange(long end) => arange(0, end, 1);
    public static Tensor arange(long start, long end, long step = 1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? Device.CPU;
        return Tensor.Wrap(LibTorch.alt_arange(start, end, step, (int)(dtype ?? ScalarType.Int64), (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }
    public static Tensor arange(double start, double end, double step = 1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? Device.CPU;
        return Tensor.Wrap(LibTorch.alt_arange(start, end, step, (int)(dtype ?? defaultDtype), (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? Device.CPU;
        return Tensor.Wrap(LibTorch.alt_linspace(start, end, steps, (int)(dtype ?? defaultDtype), (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    public static Tensor eye(long n, long? m = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? Device.CPU;
        return Tensor.Wrap(LibTorch.alt_eye(n, m ?? n, (int)(dtype ?? defaultDtype), (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    // ---- from managed data ------------------------------------------------------------------------------------

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (default: 1-D).
    /// The dtype follows T (float → float32, long → int64, ...) unless <paramref name="dtype"/> converts it.</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, long[]? shape = null, ScalarType? dtype = null,
        Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        shape ??= [data.Length];
        var native = ScalarTypeExtensions.Of<T>();
        var convert = (dtype.HasValue && dtype.Value != native) || (device.HasValue && device.Value.type != DeviceType.CPU);
        Tensor t;
        fixed (long* s = shape)
        fixed (T* p = data)
            t = Tensor.Wrap(LibTorch.alt_from_data(p, (long)data.Length * sizeof(T), s, shape.Length, (int)native,
                requires_grad && !convert ? 1 : 0));
        if (!convert) return t;
        using (t)
        {
            var r = t.to(device ?? Device.CPU, dtype ?? native);
            if (requires_grad) r.requires_grad = true;
            return r;
        }
    }

    public static Tensor tensor(float[] data, params long[] shape) => tensor<float>(data, shape.Length == 0 ? null : shape);
    public static Tensor tensor(double[] data, params long[] shape) => tensor<double>(data, shape.Length == 0 ? null : shape);
    public static Tensor tensor(long[] data, params long[] shape) => tensor<long>(data, shape.Length == 0 ? null : shape);
    public static Tensor tensor(int[] data, params long[] shape) => tensor<int>(data, shape.Length == 0 ? null : shape);
    public static Tensor tensor(bool[] data, params long[] shape) => tensor<bool>(data, shape.Length == 0 ? null : shape);
    public static Tensor tensor(byte[] data, params long[] shape) => tensor<byte>(data, shape.Length == 0 ? null : shape);
    public static Tensor tensor(float[] data, long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<float>(data, shape, dtype, device, requires_grad);
    public static Tensor tensor(double[] data, long[] shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<double>(data, shape, dtype, device, requires_grad);

    /// <summary>A tensor from a rectangular .NET array of any rank (float[,], double[,,], long[,] ...).</summary>
    public static Tensor tensor(Array data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var shape = new long[data.Rank];
        for (var i = 0; i < data.Rank; i++) shape[i] = data.GetLength(i);
        return data switch
        {
            float[] a => tensor<float>(a, shape, dtype, device, requires_grad),
            double[] a => tensor<double>(a, shape, dtype, device, requires_grad),
            long[] a => tensor<long>(a, shape, dtype, device, requires_grad),
            int[] a => tensor<int>(a, shape, dtype, device, requires_grad),
            _ => FromMultiDim(data, shape, dtype, device, requires_grad),
        };
    }

    private static Tensor FromMultiDim(Array data, long[] shape, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var elementType = data.GetType().GetElementType()!;
        var flat = Array.CreateInstance(elementType, data.Length);
        var i = 0;
        foreach (var v in data) flat.SetValue(v, i++);
        return flat switch
        {
            float[] a => tensor<float>(a, shape, dtype, device, requires_grad),
            double[] a => tensor<double>(a, shape, dtype, device, requires_grad),
            long[] a => tensor<long>(a, shape, dtype, device, requires_grad),
            int[] a => tensor<int>(a, shape, dtype, device, requires_grad),
            short[] a => tensor<short>(a, shape, dtype, device, requires_grad),
            byte[] a => tensor<byte>(a, shape, dtype, device, requires_grad),
            bool[] a => tensor<bool>(a, shape, dtype, device, requires_grad),
            _ => throw new NotSupportedException($"cannot make a tensor from {data.GetType().Name}"),
        };
    }

    /// <summary>A 0-dimensional tensor (torch.tensor(3.5)).</summary>
    public static Tensor tensor(double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<double>([value], [], dtype ?? defaultDtype, device, requires_grad);
    public static Tensor tensor(float value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        tensor<float>([value], [], dtype, device, requires_grad);
    public static Tensor tensor(long value, ScalarType? dtype = null, Device? device = null) =>
        tensor<long>([value], [], dtype, device);
    public static Tensor tensor(bool value) => tensor<bool>([value], []);
    public static Tensor scalar_tensor(double value, ScalarType? dtype = null) => tensor(value, dtype);

    // ---- joins and functional forms ---------------------------------------------------------------------------
    private unsafe delegate IntPtr ListCall(IntPtr* hs, int n, long dim);

    private static unsafe Tensor Join(ListCall call, IReadOnlyList<Tensor> tensors, long dim)
    {
        Span<IntPtr> hs = tensors.Count <= 64 ? stackalloc IntPtr[tensors.Count] : new IntPtr[tensors.Count];
        for (var i = 0; i < hs.Length; i++) hs[i] = tensors[i].Handle;
        IntPtr r;
        fixed (IntPtr* p = hs) r = call(p, hs.Length, dim);
        GC.KeepAlive(tensors);
        return Tensor.Wrap(r);
    }

    public static unsafe Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(LibTorch.alt_cat, tensors, dim);
    public static unsafe Tensor concat(IReadOnlyList<Tensor> tensors, long dim = 0) => cat(tensors, dim);
    public static unsafe Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(LibTorch.alt_stack, tensors, dim);

    public static unsafe Tensor einsum(string equation, params Tensor[] operands)
    {
        Span<IntPtr> hs = stackalloc IntPtr[operands.Length];
        for (var i = 0; i < hs.Length; i++) hs[i] = operands[i].Handle;
        IntPtr r;
        fixed (IntPtr* p = hs) r = LibTorch.alt_einsum(equation, p, hs.Length);
        GC.KeepAlive(operands);
        return Tensor.Wrap(r);
    }

    public static Tensor where(Tensor condition, Tensor input, Tensor other)
    {
        var r = LibTorch.alt_where(condition.Handle, input.Handle, other.Handle);
        GC.KeepAlive(condition);
        GC.KeepAlive(input);
        GC.KeepAlive(other);
        return Tensor.Wrap(r);
    }

    public static Tensor where(Tensor condition, Tensor input, double other)
    {
        using var o = full_like(input, other);
        return where(condition, input, o);
    }

    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, double beta = 1, double alpha = 1)
    {
        var r = LibTorch.alt_addmm(input.Handle, mat1.Handle, mat2.Handle, beta, alpha);
        GC.KeepAlive(input);
        GC.KeepAlive(mat1);
        GC.KeepAlive(mat2);
        return Tensor.Wrap(r);
    }

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor mm(Tensor a, Tensor b) => a.mm(b);
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);
    public static Tensor exp(Tensor x) => x.exp();
    public static Tensor log(Tensor x) => x.log();
    public static Tensor sqrt(Tensor x) => x.sqrt();
    public static Tensor abs(Tensor x) => x.abs();
    public static Tensor tanh(Tensor x) => x.tanh();
    public static Tensor sigmoid(Tensor x) => x.sigmoid();
    public static Tensor relu(Tensor x) => x.relu();
    public static Tensor pow(Tensor x, double exponent) => x.pow(exponent);
    public static Tensor clamp(Tensor x, double? min = null, double? max = null) => x.clamp(min, max);
    public static Tensor sum(Tensor x) => x.sum();
    public static Tensor mean(Tensor x) => x.mean();
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
    public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
    public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);
    public static Tensor flatten(Tensor x, long start_dim = 0, long end_dim = -1) => x.flatten(start_dim, end_dim);
    public static Tensor argmax(Tensor x, long dim, bool keepdim = false) => x.argmax(dim, keepdim);
    public static bool equal(Tensor a, Tensor b) => a.equal(b);
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false) =>
        a.allclose(b, rtol, atol, equal_nan);
    public static bool is_grad_enabled() => LibTorch.alt_is_grad_enabled() == 1;

    // ---- build facts ------------------------------------------------------------------------------------------
    /// <summary>The linked libtorch's version (e.g. "1.13.0" for Debian's 1.13.1 packaging).</summary>
    public static string version => Marshal.PtrToStringUTF8(LibTorch.alt_version()) ?? "unknown";

    /// <summary>libtorch's parallel configuration (ATen/OpenMP threads, MKL, ...), as torch.__config__.parallel_info().</summary>
    public static string parallel_info() => Marshal.PtrToStringUTF8(NativeErrors.Check(LibTorch.alt_parallel_info())) ?? "";

    public static class cuda
    {
        public static bool is_available() => LibTorch.alt_cuda_is_available() == 1;
        public static int device_count() => LibTorch.alt_cuda_device_count();
    }

    public static class backends
    {
        /// <summary>torch.use_deterministic_algorithms.</summary>
        public static void use_deterministic_algorithms(bool mode) => NativeErrors.Check(LibTorch.alt_set_deterministic(mode ? 1 : 0));
    }
}
