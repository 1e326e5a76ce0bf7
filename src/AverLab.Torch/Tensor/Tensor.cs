using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AverLab.Torch.Native;

namespace AverLab.Torch;

/// <summary>A tensor: an owning handle to a libtorch tensor. Dispose it (or create it inside a
/// <see cref="DisposeScope"/>) to free its memory deterministically; the finalizer is only a safety net.</summary>
/// <remarks>Members mirror PyTorch's names (https://pytorch.org/docs/1.13/tensors.html).</remarks>
public partial class Tensor : IDisposable
{
    private static long liveCount;

    private IntPtr handle;
    private long[]? shapeCache;
    private int dtypeCache = -1;

    internal DisposeScope? OwningScope;

    internal Tensor(IntPtr h)
    {
        handle = h;
        Interlocked.Increment(ref liveCount);
        DisposeScope.Current?.Register(this);
    }

    /// <summary>Wraps a fresh handle from the shim, turning a null handle into the pending native error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Tensor Wrap(IntPtr h)
    {
        if (h == IntPtr.Zero) throw NativeErrors.Take();
        return new Tensor(h);
    }

    /// <summary>Wraps a handle that may legitimately be null (an undefined tensor, e.g. a missing .grad).</summary>
    internal static Tensor? WrapOptional(IntPtr h)
    {
        if (h != IntPtr.Zero) return new Tensor(h);
        var error = NativeErrors.TakeIfAny();
        if (error != null) throw error;
        return null;
    }

    /// <summary>Number of tensors created and not yet freed, process-wide. A loop that leaks shows here.</summary>
    public static long LiveCount => Interlocked.Read(ref liveCount);

    /// <summary>The native handle (a TensorImpl*); throws if the tensor was disposed.</summary>
    public IntPtr Handle
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var h = handle;
            if (h == IntPtr.Zero) ThrowDisposed();
            return h;
        }
    }

    public bool IsDisposed => handle == IntPtr.Zero;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() =>
        throw new ObjectDisposedException(nameof(Tensor), "the tensor was disposed (by Dispose or its DisposeScope)");

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~Tensor() => Free();

    private void Free()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h == IntPtr.Zero) return;
        LibTorch.alt_free(h);
        Interlocked.Decrement(ref liveCount);
    }

    /// <summary>Keeps this tensor alive past the innermost dispose scope, handing it to the next outer one
    /// (or to nobody, when there is none).</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        var outer = OwningScope?.Outer;
        OwningScope = null;
        outer?.Register(this);
        return this;
    }

    /// <summary>Removes this tensor from any dispose scope: the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        OwningScope = null;
        return this;
    }

    // ---- metadata ---------------------------------------------------------------------------------------------

    /// <summary>The sizes of each dimension (torch.Size). Cached: tensors here never change shape in place.</summary>
    public unsafe long[] shape
    {
        get
        {
            if (shapeCache != null) return shapeCache;
            var h = Handle;
            var n = LibTorch.alt_dim(h);
            NativeErrors.Check(n);
            var s = new long[n];
            fixed (long* p = s) NativeErrors.Check(LibTorch.alt_sizes(h, p));
            return shapeCache = s;
        }
    }

    public long[] size() => (long[])shape.Clone();
    public long size(long dim) => shape[(int)NormalizeDim(dim, shape.Length)];
    public long Dimensions => shape.Length;
    public long dim() => shape.Length;
    public long ndim => shape.Length;

    public long numel()
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        return n;
    }

    public unsafe long[] stride()
    {
        var s = new long[shape.Length];
        fixed (long* p = s) NativeErrors.Check(LibTorch.alt_strides(Handle, p));
        return s;
    }

    public ScalarType dtype
    {
        get
        {
            if (dtypeCache >= 0) return (ScalarType)dtypeCache;
            var d = LibTorch.alt_dtype(Handle);
            NativeErrors.Check(d);
            dtypeCache = d;
            return (ScalarType)d;
        }
    }

    public Device device
    {
        get
        {
            var h = Handle;
            var type = LibTorch.alt_device_type(h);
            NativeErrors.Check(type);
            return new Device((DeviceType)type, LibTorch.alt_device_index(h));
        }
    }

    public bool is_contiguous() => LibTorch.alt_is_contiguous(Handle) == 1;

    /// <summary>Whether the elements are laid out densely in <paramref name="memory_format"/>'s order.</summary>
    public bool is_contiguous(MemoryFormat memory_format)
    {
        var r = LibTorch.alt_is_contiguous_format(Handle, (int)memory_format);
        GC.KeepAlive(this);
        NativeErrors.Check(r < 0 ? r : 0);
        return r == 1;
    }

    /// <summary>This tensor if it is already laid out in <paramref name="memory_format"/>, else a copy that is (autograd
    /// flows through). ChannelsLast needs 4 dimensions, ChannelsLast3d 5.</summary>
    public Tensor contiguous(MemoryFormat memory_format)
    {
        var r = LibTorch.alt_contiguous_format(Handle, (int)memory_format);
        GC.KeepAlive(this);
        return Wrap(r);
    }

    /// <summary>Tensor.to(memory_format=...): the same as contiguous(memory_format).</summary>
    public Tensor to(MemoryFormat memory_format) => contiguous(memory_format);
    public bool is_floating_point() => dtype.IsFloatingPoint();
    public long element_size() => dtype.ElementSize();

    internal static long NormalizeDim(long dim, int ndim)
    {
        var d = dim < 0 ? dim + ndim : dim;
        if (d < 0 || d >= Math.Max(ndim, 1))
            throw new TorchIndexException($"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})");
        return d;
    }

    // ---- data in and out --------------------------------------------------------------------------------------

    /// <summary>Copies the elements, in row-major order, into a new array. T must match the dtype.</summary>
    public unsafe T[] data<T>() where T : unmanaged
    {
        CheckElementType<T>();
        var result = new T[numel()];
        fixed (T* p = result)
            NativeErrors.Check(LibTorch.alt_copy_to(Handle, p, (long)result.Length * sizeof(T)));
        return result;
    }

    /// <summary>Copies the elements into a span of exactly numel() elements. T must match the dtype.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>();
        fixed (T* p = destination)
            NativeErrors.Check(LibTorch.alt_copy_to(Handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>The value of a one-element tensor (Tensor.item()).</summary>
    public T item<T>() where T : unmanaged
    {
        NativeErrors.Check(LibTorch.alt_item(Handle, out var d, out var l));
        if (typeof(T) == typeof(float)) return (T)(object)(float)d;
        if (typeof(T) == typeof(double)) return (T)(object)d;
        if (typeof(T) == typeof(long)) return (T)(object)l;
        if (typeof(T) == typeof(int)) return (T)(object)checked((int)l);
        if (typeof(T) == typeof(short)) return (T)(object)checked((short)l);
        if (typeof(T) == typeof(byte)) return (T)(object)checked((byte)l);
        if (typeof(T) == typeof(bool)) return (T)(object)(l != 0 || d != 0);
        if (typeof(T) == typeof(Half)) return (T)(object)(Half)d;
        throw new NotSupportedException($"item<{typeof(T).Name}>() is not supported");
    }

    private void CheckElementType<T>() where T : unmanaged
    {
        var want = ScalarTypeExtensions.Of<T>();
        if (want != dtype)
            throw new TorchTypeException($"data<{typeof(T).Name}>() needs a {want.PyTorchName()} tensor, but this one is {dtype.PyTorchName()}; convert with .to(torch.{want.PyTorchName()}) first");
    }

    // ---- conversion -------------------------------------------------------------------------------------------

    public Tensor to(ScalarType dtype, bool non_blocking = false, bool copy = false) =>
        Wrap(LibTorch.alt_to(Handle, (int)dtype, -1, -1, non_blocking ? 1 : 0, copy ? 1 : 0));

    public Tensor to(Device device, ScalarType? dtype = null, bool non_blocking = false, bool copy = false) =>
        Wrap(LibTorch.alt_to(Handle, dtype.HasValue ? (int)dtype.Value : -1, (int)device.type, device.index,
            non_blocking ? 1 : 0, copy ? 1 : 0));

    public Tensor to(Tensor other) => to(other.device, other.dtype);
    public Tensor type(ScalarType dtype) => to(dtype);
    public Tensor cpu() => to(Device.CPU);
    public Tensor cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));
    public Tensor @float() => to(ScalarType.Float32);
    public Tensor @double() => to(ScalarType.Float64);
    public Tensor @long() => to(ScalarType.Int64);
    public Tensor @int() => to(ScalarType.Int32);
    public Tensor @bool() => to(ScalarType.Bool);
    public Tensor half() => to(ScalarType.Float16);
    public Tensor bfloat16() => to(ScalarType.BFloat16);

    /// <summary>libtorch's own C++ printout of the tensor.</summary>
    public string ToNativeString() =>
        Marshal.PtrToStringUTF8(NativeErrors.Check(LibTorch.alt_to_string(Handle))) ?? "";

    public override string ToString() => IsDisposed ? "tensor(<disposed>)" : TensorFormatter.Format(this);
}
