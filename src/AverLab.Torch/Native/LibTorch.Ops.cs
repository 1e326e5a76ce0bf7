using System.Runtime.InteropServices;

namespace AverLab.Torch.Native;

/// <summary>P/Invoke declarations for native/src/ops.cpp: element-wise math, reductions, sorting, linear algebra.</summary>
internal static unsafe partial class LibTorch
{
    [DllImport(Lib)] internal static extern IntPtr alt_unary(IntPtr h, UnaryOp op);
    [DllImport(Lib)] internal static extern int alt_unary_(IntPtr h, UnaryOp op);
    [DllImport(Lib)] internal static extern IntPtr alt_binary(IntPtr a, IntPtr b, BinaryOp op);
    [DllImport(Lib)] internal static extern int alt_binary_(IntPtr a, IntPtr b, BinaryOp op);
    [DllImport(Lib)] internal static extern IntPtr alt_add_scaled(IntPtr a, IntPtr b, double alpha, int subtract);
    [DllImport(Lib)] internal static extern int alt_add_scaled_(IntPtr a, IntPtr b, double alpha);
    [DllImport(Lib)] internal static extern IntPtr alt_binary_scalar(IntPtr a, double d, long l, int kind, BinaryOp op);
    [DllImport(Lib)] internal static extern int alt_binary_scalar_(IntPtr a, double d, long l, int kind, BinaryOp op);
    [DllImport(Lib)] internal static extern IntPtr alt_clamp(IntPtr h, double lo, int hasLo, double hi, int hasHi);
    [DllImport(Lib)] internal static extern int alt_clamp_(IntPtr h, double lo, int hasLo, double hi, int hasHi);
    [DllImport(Lib)] internal static extern IntPtr alt_where(IntPtr cond, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr alt_lerp(IntPtr a, IntPtr b, double w);
    [DllImport(Lib)] internal static extern int alt_equal(IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern int alt_allclose(IntPtr a, IntPtr b, double rtol, double atol, int equalNan);

    [DllImport(Lib)] internal static extern IntPtr alt_reduce(IntPtr h, ReduceOp op, long* dims, int ndims, int keepdim, int dtype);
    [DllImport(Lib)] internal static extern IntPtr alt_prod(IntPtr h, long dim, int hasDim, int keepdim, int dtype);
    [DllImport(Lib)] internal static extern IntPtr alt_var_std(IntPtr h, int isStd, long* dims, int ndims, long correction, int keepdim);
    [DllImport(Lib)] internal static extern IntPtr alt_norm(IntPtr h, double p, long* dims, int ndims, int keepdim);
    [DllImport(Lib)] internal static extern IntPtr alt_max_all(IntPtr h, int isMin);
    [DllImport(Lib)] internal static extern int alt_max_dim(IntPtr h, int isMin, long dim, int keepdim, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern IntPtr alt_argmax(IntPtr h, int isMin, long dim, int hasDim, int keepdim);
    [DllImport(Lib)] internal static extern IntPtr alt_all_any(IntPtr h, int isAny, long dim, int hasDim, int keepdim);
    [DllImport(Lib)] internal static extern IntPtr alt_cumulative(IntPtr h, int isProd, long dim, int dtype);
    [DllImport(Lib)] internal static extern IntPtr alt_softmax(IntPtr h, long dim, int log, int dtype);

    [DllImport(Lib)] internal static extern int alt_sort(IntPtr h, long dim, int descending, int stable, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern int alt_topk(IntPtr h, long k, long dim, int largest, int sorted, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern IntPtr alt_argsort(IntPtr h, long dim, int descending);

    [DllImport(Lib)] internal static extern IntPtr alt_einsum([MarshalAs(UnmanagedType.LPUTF8Str)] string equation, IntPtr* hs, int n);
    [DllImport(Lib)] internal static extern IntPtr alt_addmm(IntPtr bias, IntPtr a, IntPtr b, double beta, double alpha);
}
