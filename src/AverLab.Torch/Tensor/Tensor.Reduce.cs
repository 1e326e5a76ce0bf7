using AverLab.Torch.Native;

namespace AverLab.Torch;

// Reductions, sorting and linear algebra.
public partial class Tensor
{
    private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepdim, ScalarType? dtype)
    {
        IntPtr r;
        fixed (long* p = dims) r = LibTorch.alt_reduce(Handle, op, p, dims.Length, keepdim ? 1 : 0, dtype.HasValue ? (int)dtype.Value : -1);
        return Keep(r);
    }

    // All-element reductions take no dtype: with an optional ScalarType? parameter, x.sum(0) would bind the literal
    // 0 to ScalarType.Byte (C# converts literal 0 to any enum) instead of to the dim overload.
    public Tensor sum() => Reduce(ReduceOp.Sum, default, false, null);
    public Tensor sum(long dim, bool keepdim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Sum, [dim], keepdim, dtype);
    public Tensor sum(long[] dim, bool keepdim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Sum, dim, keepdim, dtype);
    public Tensor nansum(long[] dim, bool keepdim = false) => Reduce(ReduceOp.NanSum, dim, keepdim, null);
    public Tensor mean() => Reduce(ReduceOp.Mean, default, false, null);
    public Tensor mean(long dim, bool keepdim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Mean, [dim], keepdim, dtype);
    public Tensor mean(long[] dim, bool keepdim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Mean, dim, keepdim, dtype);
    public Tensor amax(long[] dim, bool keepdim = false) => Reduce(ReduceOp.Amax, dim, keepdim, null);
    public Tensor amin(long[] dim, bool keepdim = false) => Reduce(ReduceOp.Amin, dim, keepdim, null);
    public Tensor logsumexp(long dim, bool keepdim = false) => Reduce(ReduceOp.LogSumExp, [dim], keepdim, null);
    public Tensor logsumexp(long[] dim, bool keepdim = false) => Reduce(ReduceOp.LogSumExp, dim, keepdim, null);

    public Tensor prod() => Keep(LibTorch.alt_prod(Handle, 0, 0, 0, -1));
    public Tensor prod(long dim, bool keepdim = false, ScalarType? dtype = null) =>
        Keep(LibTorch.alt_prod(Handle, dim, 1, keepdim ? 1 : 0, dtype.HasValue ? (int)dtype.Value : -1));

    private unsafe Tensor VarStd(bool isStd, ReadOnlySpan<long> dims, bool unbiased, bool keepdim)
    {
        IntPtr r;
        fixed (long* p = dims) r = LibTorch.alt_var_std(Handle, isStd ? 1 : 0, p, dims.Length, unbiased ? 1 : 0, keepdim ? 1 : 0);
        return Keep(r);
    }

    public Tensor std(bool unbiased = true) => VarStd(true, default, unbiased, false);
    public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => VarStd(true, [dim], unbiased, keepdim);
    public Tensor std(long[] dim, bool unbiased = true, bool keepdim = false) => VarStd(true, dim, unbiased, keepdim);
    public Tensor var(bool unbiased = true) => VarStd(false, default, unbiased, false);
    public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => VarStd(false, [dim], unbiased, keepdim);
    public Tensor var(long[] dim, bool unbiased = true, bool keepdim = false) => VarStd(false, dim, unbiased, keepdim);

    public unsafe Tensor norm(double p = 2, long[]? dim = null, bool keepdim = false)
    {
        IntPtr r;
        fixed (long* d = dim) r = LibTorch.alt_norm(Handle, p, d, dim?.Length ?? 0, keepdim ? 1 : 0);
        return Keep(r);
    }

    public Tensor max() => Keep(LibTorch.alt_max_all(Handle, 0));
    public Tensor min() => Keep(LibTorch.alt_max_all(Handle, 1));
    public (Tensor values, Tensor indices) max(long dim, bool keepdim = false) => MaxMin(0, dim, keepdim);
    public (Tensor values, Tensor indices) min(long dim, bool keepdim = false) => MaxMin(1, dim, keepdim);

    private (Tensor, Tensor) MaxMin(int isMin, long dim, bool keepdim)
    {
        NativeErrors.Check(LibTorch.alt_max_dim(Handle, isMin, dim, keepdim ? 1 : 0, out var v, out var i));
        GC.KeepAlive(this);
        return (new Tensor(v), new Tensor(i));
    }

    public Tensor argmax() => Keep(LibTorch.alt_argmax(Handle, 0, 0, 0, 0));
    public Tensor argmax(long dim, bool keepdim = false) => Keep(LibTorch.alt_argmax(Handle, 0, dim, 1, keepdim ? 1 : 0));
    public Tensor argmin() => Keep(LibTorch.alt_argmax(Handle, 1, 0, 0, 0));
    public Tensor argmin(long dim, bool keepdim = false) => Keep(LibTorch.alt_argmax(Handle, 1, dim, 1, keepdim ? 1 : 0));
    public Tensor all() => Keep(LibTorch.alt_all_any(Handle, 0, 0, 0, 0));
    public Tensor all(long dim, bool keepdim = false) => Keep(LibTorch.alt_all_any(Handle, 0, dim, 1, keepdim ? 1 : 0));
    public Tensor any() => Keep(LibTorch.alt_all_any(Handle, 1, 0, 0, 0));
    public Tensor any(long dim, bool keepdim = false) => Keep(LibTorch.alt_all_any(Handle, 1, dim, 1, keepdim ? 1 : 0));
    public Tensor cumsum(long dim, ScalarType? dtype = null) => Keep(LibTorch.alt_cumulative(Handle, 0, dim, dtype.HasValue ? (int)dtype.Value : -1));
    public Tensor cumprod(long dim, ScalarType? dtype = null) => Keep(LibTorch.alt_cumulative(Handle, 1, dim, dtype.HasValue ? (int)dtype.Value : -1));
    public Tensor softmax(long dim, ScalarType? dtype = null) => Keep(LibTorch.alt_softmax(Handle, dim, 0, dtype.HasValue ? (int)dtype.Value : -1));
    public Tensor log_softmax(long dim, ScalarType? dtype = null) => Keep(LibTorch.alt_softmax(Handle, dim, 1, dtype.HasValue ? (int)dtype.Value : -1));

    public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false, bool stable = false)
    {
        NativeErrors.Check(LibTorch.alt_sort(Handle, dim, descending ? 1 : 0, stable ? 1 : 0, out var v, out var i));
        GC.KeepAlive(this);
        return (new Tensor(v), new Tensor(i));
    }

    public (Tensor values, Tensor indices) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        NativeErrors.Check(LibTorch.alt_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var v, out var i));
        GC.KeepAlive(this);
        return (new Tensor(v), new Tensor(i));
    }

    public Tensor argsort(long dim = -1, bool descending = false) => Keep(LibTorch.alt_argsort(Handle, dim, descending ? 1 : 0));

    public Tensor matmul(Tensor other) => Binary(other, BinaryOp.Matmul);
    public Tensor mm(Tensor other) => Binary(other, BinaryOp.Mm);
    public Tensor bmm(Tensor other) => Binary(other, BinaryOp.Bmm);
    public Tensor mv(Tensor vec) => Binary(vec, BinaryOp.Mv);
    public Tensor dot(Tensor other) => Binary(other, BinaryOp.Dot);
    public Tensor outer(Tensor other) => Binary(other, BinaryOp.Outer);
}
