using AverLab.Torch.Native;

namespace AverLab.Torch;

// Views, reshaping, joining and splitting.
public partial class Tensor
{
    private unsafe delegate IntPtr ShapeCall(IntPtr h, long* s, int n);

    private unsafe Tensor WithSizes(ShapeCall call, ReadOnlySpan<long> sizes)
    {
        IntPtr r;
        fixed (long* p = sizes) r = call(Handle, p, sizes.Length);
        GC.KeepAlive(this);
        return Wrap(r);
    }

    public unsafe Tensor view(params long[] shape) => WithSizes(LibTorch.alt_view, shape);
    public unsafe Tensor reshape(params long[] shape) => WithSizes(LibTorch.alt_reshape, shape);
    public unsafe Tensor permute(params long[] dims) => WithSizes(LibTorch.alt_permute, dims);
    public unsafe Tensor expand(params long[] sizes) => WithSizes(LibTorch.alt_expand, sizes);
    public unsafe Tensor repeat(params long[] repeats) => WithSizes(LibTorch.alt_repeat, repeats);
    public unsafe Tensor flip(params long[] dims) => WithSizes(LibTorch.alt_flip, dims);
    public Tensor view_as(Tensor other) => Binary(other, BinaryOp.ViewAs);
    public Tensor reshape_as(Tensor other) => Binary(other, BinaryOp.ReshapeAs);
    public Tensor expand_as(Tensor other) => Binary(other, BinaryOp.ExpandAs);

    public Tensor transpose(long dim0, long dim1) => Keep(LibTorch.alt_transpose(Handle, dim0, dim1));
    public Tensor swapaxes(long dim0, long dim1) => transpose(dim0, dim1);
    public Tensor movedim(long source, long destination) => Keep(LibTorch.alt_movedim(Handle, source, destination));
    public Tensor t() => Unary(UnaryOp.T);
    public Tensor T => Unary(UnaryOp.T);
    public Tensor mT => transpose(-2, -1);
    public Tensor squeeze() => Keep(LibTorch.alt_squeeze(Handle, 0, 0));
    public Tensor squeeze(long dim) => Keep(LibTorch.alt_squeeze(Handle, dim, 1));
    public Tensor unsqueeze(long dim) => Keep(LibTorch.alt_unsqueeze(Handle, dim));
    public Tensor flatten(long start_dim = 0, long end_dim = -1) => Keep(LibTorch.alt_flatten(Handle, start_dim, end_dim));

    public unsafe Tensor unflatten(long dim, params long[] sizes)
    {
        IntPtr r;
        fixed (long* p = sizes) r = LibTorch.alt_unflatten(Handle, dim, p, sizes.Length);
        return Keep(r);
    }

    public Tensor narrow(long dim, long start, long length) => Keep(LibTorch.alt_narrow(Handle, dim, start, length));
    public Tensor select(long dim, long index) => Keep(LibTorch.alt_select(Handle, dim, index));

    /// <summary>Elements start..end (exclusive) by step along dim; negative start/end count from the end.</summary>
    public Tensor slice(long dim, long? start, long? end, long step = 1) =>
        Keep(LibTorch.alt_slice(Handle, dim, start ?? 0, start.HasValue ? 1 : 0, end ?? 0, end.HasValue ? 1 : 0, step));

    public unsafe Tensor roll(long[] shifts, long[] dims)
    {
        IntPtr r;
        fixed (long* s = shifts)
        fixed (long* d = dims)
            r = LibTorch.alt_roll(Handle, s, shifts.Length, d, dims.Length);
        return Keep(r);
    }

    public Tensor roll(long shift, long dim) => roll([shift], [dim]);
    public Tensor tril(long diagonal = 0) => Keep(LibTorch.alt_tril_triu(Handle, diagonal, 0));
    public Tensor triu(long diagonal = 0) => Keep(LibTorch.alt_tril_triu(Handle, diagonal, 1));
    public Tensor diag(long diagonal = 0) => Keep(LibTorch.alt_diag(Handle, diagonal));

    public Tensor index_select(long dim, Tensor index)
    {
        var r = Keep(LibTorch.alt_index_select(Handle, dim, index.Handle));
        GC.KeepAlive(index);
        return r;
    }

    public Tensor gather(long dim, Tensor index)
    {
        var r = Keep(LibTorch.alt_gather(Handle, dim, index.Handle));
        GC.KeepAlive(index);
        return r;
    }

    public Tensor scatter(long dim, Tensor index, Tensor src) => Scatter(dim, index, src, 0, 0, false);
    public Tensor scatter(long dim, Tensor index, double value) => Scatter(dim, index, null, value, 2, false);
    public Tensor scatter_add(long dim, Tensor index, Tensor src) => Scatter(dim, index, src, 0, 1, false);
    public Tensor scatter_(long dim, Tensor index, Tensor src) => ScatterInPlace(dim, index, src, 0, 0);
    public Tensor scatter_(long dim, Tensor index, double value) => ScatterInPlace(dim, index, null, value, 2);
    public Tensor scatter_add_(long dim, Tensor index, Tensor src) => ScatterInPlace(dim, index, src, 0, 1);

    private Tensor Scatter(long dim, Tensor index, Tensor? src, double value, int mode, bool inplace)
    {
        var r = LibTorch.alt_scatter(Handle, dim, index.Handle, src?.Handle ?? IntPtr.Zero, value, mode, inplace ? 1 : 0);
        GC.KeepAlive(index);
        GC.KeepAlive(src);
        return Keep(r);
    }

    private Tensor ScatterInPlace(long dim, Tensor index, Tensor? src, double value, int mode)
    {
        using var alias = Scatter(dim, index, src, value, mode, true);
        return this;
    }

    public Tensor masked_fill(Tensor mask, double value) => MaskedFill(mask, null, value, false);
    public Tensor masked_fill(Tensor mask, Tensor value) => MaskedFill(mask, value, 0, false);
    public Tensor masked_fill_(Tensor mask, double value)
    {
        using var alias = MaskedFill(mask, null, value, true);
        return this;
    }

    private Tensor MaskedFill(Tensor mask, Tensor? value, double d, bool inplace)
    {
        var r = LibTorch.alt_masked_fill(Handle, mask.Handle, value?.Handle ?? IntPtr.Zero, d, 0, (int)ScalarKind.Double,
            inplace ? 1 : 0);
        GC.KeepAlive(mask);
        GC.KeepAlive(value);
        return Keep(r);
    }

    public Tensor masked_select(Tensor mask) => Binary(mask, BinaryOp.MaskedSelect);

    public Tensor repeat_interleave(long repeats, long? dim = null) =>
        Keep(LibTorch.alt_repeat_interleave(Handle, repeats, dim ?? 0, dim.HasValue ? 1 : 0));

    public unsafe Tensor[] split(long split_size, long dim = 0)
    {
        var n = LibTorch.alt_split(Handle, split_size, dim, out var list);
        GC.KeepAlive(this);
        return TakeList(n, list);
    }

    public unsafe Tensor[] split(long[] split_sizes, long dim = 0)
    {
        long n;
        IntPtr* list;
        fixed (long* p = split_sizes) n = LibTorch.alt_split_sizes(Handle, p, split_sizes.Length, dim, out list);
        GC.KeepAlive(this);
        return TakeList(n, list);
    }

    public unsafe Tensor[] chunk(long chunks, long dim = 0)
    {
        var n = LibTorch.alt_chunk(Handle, chunks, dim, out var list);
        GC.KeepAlive(this);
        return TakeList(n, list);
    }

    public unsafe Tensor[] unbind(long dim = 0)
    {
        var n = LibTorch.alt_unbind(Handle, dim, out var list);
        GC.KeepAlive(this);
        return TakeList(n, list);
    }

    internal static unsafe Tensor[] TakeList(long n, IntPtr* list)
    {
        if (n < 0) throw NativeErrors.Take();
        try
        {
            var result = new Tensor[n];
            for (var i = 0; i < n; i++) result[i] = new Tensor(list[i]);
            return result;
        }
        finally
        {
            LibTorch.alt_free_buffer((IntPtr)list);
        }
    }

    /// <summary>Wraps a result handle while keeping `this` alive across the call that produced it.</summary>
    private Tensor Keep(IntPtr h)
    {
        var r = Wrap(h);
        GC.KeepAlive(this);
        return r;
    }
}
