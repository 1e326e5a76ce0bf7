using AverLab.Torch.Native;

namespace AverLab.Torch;

// Python-style indexing: one native call per expression, with libtorch's own semantics and errors.
public partial class Tensor
{
    /// <summary>x[i, j:k, None, ..., mask]. Basic indices (ints, slices, None, Ellipsis) return views.</summary>
    public Tensor this[params TensorIndex[] indices]
    {
        get => Index(indices);
        set => index_put_(value, indices);
    }

    /// <summary>x[i]: selects along the first dimension (negative counts from the end).</summary>
    public Tensor this[long index]
    {
        get => select(0, index);
        set => index_put_(value, TensorIndex.Single(index));
    }

    public unsafe Tensor Index(params TensorIndex[] indices)
    {
        var n = indices.Length;
        Span<int> kinds = stackalloc int[n];
        Span<long> values = stackalloc long[4 * n];
        Span<IntPtr> tensors = stackalloc IntPtr[n];
        Encode(indices, kinds, values, tensors);
        IntPtr r;
        fixed (int* k = kinds)
        fixed (long* v = values)
        fixed (IntPtr* t = tensors)
            r = LibTorch.alt_index(Handle, k, v, t, n);
        GC.KeepAlive(indices);
        return Keep(r);
    }

    /// <summary>x[indices] = value (value broadcasts).</summary>
    public Tensor index_put_(Tensor value, params TensorIndex[] indices) => IndexPut(value, 0, indices);

    /// <summary>x[indices] = scalar.</summary>
    public Tensor index_put_(double value, params TensorIndex[] indices) => IndexPut(null, value, indices);

    private unsafe Tensor IndexPut(Tensor? value, double scalar, TensorIndex[] indices)
    {
        var n = indices.Length;
        Span<int> kinds = stackalloc int[n];
        Span<long> values = stackalloc long[4 * n];
        Span<IntPtr> tensors = stackalloc IntPtr[n];
        Encode(indices, kinds, values, tensors);
        int rc;
        fixed (int* k = kinds)
        fixed (long* v = values)
        fixed (IntPtr* t = tensors)
            rc = LibTorch.alt_index_put_(Handle, k, v, t, n, value?.Handle ?? IntPtr.Zero, scalar, 0, (int)ScalarKind.Double);
        GC.KeepAlive(indices);
        GC.KeepAlive(value);
        NativeErrors.Check(rc);
        return this;
    }

    private static void Encode(TensorIndex[] indices, Span<int> kinds, Span<long> values, Span<IntPtr> tensors)
    {
        for (var i = 0; i < indices.Length; i++)
        {
            var ix = indices[i];
            kinds[i] = (int)ix.Kind;
            values[4 * i] = ix.Start;
            values[4 * i + 1] = ix.Stop;
            values[4 * i + 2] = ix.Step;
            values[4 * i + 3] = (ix.HasStart ? 1 : 0) | (ix.HasStop ? 2 : 0);
            tensors[i] = ix.Tensor?.Handle ?? IntPtr.Zero;
        }
    }
}
