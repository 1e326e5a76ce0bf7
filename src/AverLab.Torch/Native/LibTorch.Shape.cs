using System.Runtime.InteropServices;

namespace AverLab.Torch.Native;

/// <summary>P/Invoke declarations for native/src/shape.cpp: views, joins, splits and indexing.</summary>
internal static unsafe partial class LibTorch
{
    [DllImport(Lib)] internal static extern IntPtr alt_view(IntPtr h, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr alt_reshape(IntPtr h, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr alt_permute(IntPtr h, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr alt_expand(IntPtr h, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr alt_repeat(IntPtr h, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr alt_flip(IntPtr h, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr alt_transpose(IntPtr h, long a, long b);
    [DllImport(Lib)] internal static extern IntPtr alt_movedim(IntPtr h, long a, long b);
    [DllImport(Lib)] internal static extern IntPtr alt_squeeze(IntPtr h, long dim, int hasDim);
    [DllImport(Lib)] internal static extern IntPtr alt_unsqueeze(IntPtr h, long dim);
    [DllImport(Lib)] internal static extern IntPtr alt_flatten(IntPtr h, long start, long end);
    [DllImport(Lib)] internal static extern IntPtr alt_unflatten(IntPtr h, long dim, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr alt_narrow(IntPtr h, long dim, long start, long length);
    [DllImport(Lib)] internal static extern IntPtr alt_select(IntPtr h, long dim, long index);
    [DllImport(Lib)] internal static extern IntPtr alt_slice(IntPtr h, long dim, long start, int hasStart, long end, int hasEnd, long step);
    [DllImport(Lib)] internal static extern IntPtr alt_roll(IntPtr h, long* shifts, int ns, long* dims, int nd);
    [DllImport(Lib)] internal static extern IntPtr alt_tril_triu(IntPtr h, long diagonal, int upper);
    [DllImport(Lib)] internal static extern IntPtr alt_diag(IntPtr h, long diagonal);
    [DllImport(Lib)] internal static extern IntPtr alt_index_select(IntPtr h, long dim, IntPtr index);
    [DllImport(Lib)] internal static extern IntPtr alt_gather(IntPtr h, long dim, IntPtr index);
    [DllImport(Lib)] internal static extern IntPtr alt_scatter(IntPtr h, long dim, IntPtr index, IntPtr src, double value, int mode, int inplace);
    [DllImport(Lib)] internal static extern IntPtr alt_masked_fill(IntPtr h, IntPtr mask, IntPtr value, double d, long l, int kind, int inplace);
    [DllImport(Lib)] internal static extern IntPtr alt_repeat_interleave(IntPtr h, long repeats, long dim, int hasDim);
    [DllImport(Lib)] internal static extern IntPtr alt_cat(IntPtr* hs, int n, long dim);
    [DllImport(Lib)] internal static extern IntPtr alt_stack(IntPtr* hs, int n, long dim);
    [DllImport(Lib)] internal static extern long alt_split(IntPtr h, long size, long dim, out IntPtr* list);
    [DllImport(Lib)] internal static extern long alt_split_sizes(IntPtr h, long* s, int n, long dim, out IntPtr* list);
    [DllImport(Lib)] internal static extern long alt_chunk(IntPtr h, long chunks, long dim, out IntPtr* list);
    [DllImport(Lib)] internal static extern long alt_unbind(IntPtr h, long dim, out IntPtr* list);
    [DllImport(Lib)] internal static extern IntPtr alt_index(IntPtr h, int* kinds, long* values, IntPtr* tensors, int n);
    [DllImport(Lib)] internal static extern int alt_index_put_(IntPtr h, int* kinds, long* values, IntPtr* tensors, int n, IntPtr value, double d, long l, int kind);
}
