using System.Runtime.CompilerServices;

namespace AverLab.Torch;

/// <summary>Settings AverLab applies when the engine loads, where they beat PyTorch's eager defaults on the same
/// libtorch: glibc keeps freed activation buffers for reuse (<see cref="torch.ConfigureCpuAllocator"/>), which cuts
/// a conv training step's minor page faults ~10x in a .NET process, and serves blocks above glibc's 32-MiB mmap cap
/// from the heap too (LRCN's 63-MB activations). Set AVERLAB_MALLOC=default to keep glibc's behaviour, or
/// AVERLAB_MALLOC=mmap to keep the retention but map blocks above the threshold (the setting before heap-only).</summary>
internal static class EngineDefaults
{
#pragma warning disable CA2255 // a module initializer is the one place that runs before any tensor exists
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (Environment.GetEnvironmentVariable("AVERLAB_MALLOC") == "default") return;
        try
        {
            torch.ConfigureCpuAllocator(heapOnly: Environment.GetEnvironmentVariable("AVERLAB_MALLOC") != "mmap");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            // The native library is missing or stale: the first real call reports that with the fix to run.
        }
    }
}
