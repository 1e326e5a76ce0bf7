using System.Runtime.InteropServices;

namespace AverLab.Torch;

// Process memory settings that are AverLab's own (not PyTorch API), hence .NET naming.
public static partial class torch
{
    [DllImport(Native.LibTorch.Lib)] private static extern int alt_malloc_retention(long mmapThreshold, long trimThreshold);

    /// <summary>Makes glibc keep large freed CPU blocks (activations, gradients) for reuse instead of unmapping them
    /// after every training step: blocks below <paramref name="mmapThresholdBytes"/> (at most 32 MiB) come from the
    /// heap and up to <paramref name="trimThresholdBytes"/> of free heap is retained. Measured on a conv2d
    /// forward+backward of a 32×1×40×282 batch: minor page faults 971k → 81k and kernel time 1.97 s → 0.19 s over 30
    /// steps. Costs resident memory that the process keeps. Returns false where the C library is not glibc.</summary>
    public static bool ConfigureCpuAllocator(long mmapThresholdBytes = 32L << 20, long trimThresholdBytes = 256L << 20)
    {
        var rc = alt_malloc_retention(mmapThresholdBytes, trimThresholdBytes);
        if (rc == -1) throw new ArgumentException($"glibc refused mmap threshold {mmapThresholdBytes} or trim threshold {trimThresholdBytes} (mmap threshold is at most 32 MiB)");
        return rc == 0;
    }
}
