using System.Runtime.InteropServices;

namespace AverLab.Torch.Native;

/// <summary>P/Invoke declarations for native/src/core.cpp: errors, lifetime, metadata, data, factories, random,
/// threads. Every signature is blittable (handles, numbers, pointers) so a call costs a few nanoseconds.</summary>
internal static unsafe partial class LibTorch
{
    internal const string Lib = "averlab_native";

    [DllImport(Lib)] internal static extern IntPtr alt_take_error(out int kind);
    [DllImport(Lib)] internal static extern void alt_free_buffer(IntPtr p);
    [DllImport(Lib)] internal static extern void alt_free(IntPtr h);
    [DllImport(Lib)] internal static extern IntPtr alt_alias(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_dim(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_sizes(IntPtr h, long* dst);
    [DllImport(Lib)] internal static extern int alt_strides(IntPtr h, long* dst);
    [DllImport(Lib)] internal static extern long alt_numel(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_dtype(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_device_type(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_device_index(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_is_contiguous(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_is_contiguous_format(IntPtr h, int format);
    [DllImport(Lib)] internal static extern IntPtr alt_contiguous_format(IntPtr h, int format);
    [DllImport(Lib)] internal static extern long alt_element_size(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_requires_grad(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_is_leaf(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_set_requires_grad(IntPtr h, int value);
    [DllImport(Lib)] internal static extern IntPtr alt_to_string(IntPtr h);

    [DllImport(Lib)] internal static extern IntPtr alt_from_data(void* data, long nbytes, long* shape, int ndim, int dtype, int requiresGrad);
    [DllImport(Lib)] internal static extern int alt_copy_to(IntPtr h, void* dst, long nbytes);
    [DllImport(Lib)] internal static extern IntPtr alt_data_ptr(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_item(IntPtr h, out double d, out long l);
    [DllImport(Lib)] internal static extern IntPtr alt_to(IntPtr h, int dtype, int deviceType, int deviceIndex, int nonBlocking, int copy);

    [DllImport(Lib)] internal static extern IntPtr alt_zeros(long* shape, int ndim, int dtype, int dev, int devIdx, int rg);
    [DllImport(Lib)] internal static extern IntPtr alt_ones(long* shape, int ndim, int dtype, int dev, int devIdx, int rg);
    [DllImport(Lib)] internal static extern IntPtr alt_empty(long* shape, int ndim, int dtype, int dev, int devIdx, int rg);
    [DllImport(Lib)] internal static extern IntPtr alt_full(long* shape, int ndim, double d, long l, int kind, int dtype, int dev, int devIdx, int rg);
    [DllImport(Lib)] internal static extern IntPtr alt_arange(double start, double end, double step, int dtype, int dev, int devIdx, int rg);
    [DllImport(Lib)] internal static extern IntPtr alt_linspace(double start, double end, long steps, int dtype, int dev, int devIdx, int rg);
    [DllImport(Lib)] internal static extern IntPtr alt_eye(long n, long m, int dtype, int dev, int devIdx, int rg);

    [DllImport(Lib)] internal static extern IntPtr alt_generator_new(ulong seed);
    [DllImport(Lib)] internal static extern void alt_generator_free(IntPtr g);
    [DllImport(Lib)] internal static extern int alt_generator_manual_seed(IntPtr g, ulong seed);
    [DllImport(Lib)] internal static extern ulong alt_generator_initial_seed(IntPtr g);
    [DllImport(Lib)] internal static extern IntPtr alt_generator_get_state(IntPtr g);
    [DllImport(Lib)] internal static extern int alt_generator_set_state(IntPtr g, IntPtr state);
    [DllImport(Lib)] internal static extern int alt_manual_seed(ulong seed);
    [DllImport(Lib)] internal static extern IntPtr alt_default_generator();
    [DllImport(Lib)] internal static extern IntPtr alt_like(IntPtr h, int kind, double value, long low, long high, int dtype, IntPtr g, int rg);
    [DllImport(Lib)] internal static extern IntPtr alt_rand(long* shape, int ndim, IntPtr g, int dtype, int dev, int devIdx, int rg);
    [DllImport(Lib)] internal static extern IntPtr alt_randn(long* shape, int ndim, IntPtr g, int dtype, int dev, int devIdx, int rg);
    [DllImport(Lib)] internal static extern IntPtr alt_randint(long low, long high, long* shape, int ndim, IntPtr g, int dtype, int dev, int devIdx);
    [DllImport(Lib)] internal static extern IntPtr alt_randperm(long n, IntPtr g, int dtype, int dev, int devIdx);
    [DllImport(Lib)] internal static extern int alt_uniform_(IntPtr h, double from, double to, IntPtr g);
    [DllImport(Lib)] internal static extern int alt_normal_(IntPtr h, double mean, double std, IntPtr g);
    [DllImport(Lib)] internal static extern int alt_bernoulli_(IntPtr h, double p, IntPtr g);
    [DllImport(Lib)] internal static extern IntPtr alt_multinomial(IntPtr h, long n, int replacement, IntPtr g);

    [DllImport(Lib)] internal static extern int alt_set_num_threads(int n);
    [DllImport(Lib)] internal static extern int alt_get_num_threads();
    [DllImport(Lib)] internal static extern int alt_set_num_interop_threads(int n);
    [DllImport(Lib)] internal static extern int alt_get_num_interop_threads();
    [DllImport(Lib)] internal static extern int alt_is_grad_enabled();
    [DllImport(Lib)] internal static extern void alt_set_grad_enabled(int enabled);
    [DllImport(Lib)] internal static extern int alt_cuda_is_available();
    [DllImport(Lib)] internal static extern int alt_cuda_device_count();
    [DllImport(Lib)] internal static extern int alt_set_deterministic(int on);
    [DllImport(Lib)] internal static extern IntPtr alt_version();
    [DllImport(Lib)] internal static extern IntPtr alt_parallel_info();
}
