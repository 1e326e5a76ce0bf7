using System.Runtime.InteropServices;

namespace AverLab.Torch;

// Process memory settings that are AverLab's own (not PyTorch API), hence .NET naming.
public static partial class torch
{
    [DllImport(Native.LibTorch.Lib)] private static extern int alt_malloc_retention(long mmapThreshold, long trimThreshold);
    [DllImport(Native.LibTorch.Lib)] private static extern int alt_malloc_heap_only(int on);

    /// <summary>Makes glibc keep large freed CPU blocks (activations, gradients) for reuse instead of unmapping them
    /// after every training step: blocks below <paramref name="mmapThresholdBytes"/> (at most 32 MiB) come from the
    /// heap and up to <paramref name="trimThresholdBytes"/> of free heap is retained. Measured on a conv2d
    /// forward+backward of a 32×1×40×282 batch: minor page faults 971k → 81k and kernel time 1.97 s → 0.19 s over 30
    /// steps. With <paramref name="heapOnly"/> (the default) blocks above the threshold come from the heap as well
    /// (glibc's M_MMAP_MAX = 0): the 63-MB first-conv activations of a LRCN step are otherwise mapped and faulted in
    /// again every step (2.3M minor faults over ~45 steps → 0.13M; min step 184 → 92 ms). Costs resident memory that
    /// the process keeps. Returns false where the C library is not glibc.</summary>
    public static bool ConfigureCpuAllocator(long mmapThresholdBytes = 32L << 20, long trimThresholdBytes = 256L << 20, bool heapOnly = true)
    {
        var rc = alt_malloc_retention(mmapThresholdBytes, trimThresholdBytes);
        if (rc == -1) throw new ArgumentException($"glibc refused mmap threshold {mmapThresholdBytes} or trim threshold {trimThresholdBytes} (mmap threshold is at most 32 MiB)");
        if (rc == 0 && alt_malloc_heap_only(heapOnly ? 1 : 0) != 0) throw new InvalidOperationException("glibc refused M_MMAP_MAX");
        return rc == 0;
    }
}
