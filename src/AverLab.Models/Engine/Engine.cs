using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AverLab.Models;

/// <summary>Process-level settings for TorchSharp's libtorch, and a clear message when its native library will not load.
/// <para>Allocator: glibc returns freed blocks above its mmap threshold to the system and faults them back in on the next
/// step, so a conv training step spends much of its time in page faults (LRCN 3–4x slower). AverLab keeps freed
/// activation buffers for reuse (mallopt M_MMAP_THRESHOLD 32 MiB, M_TRIM_THRESHOLD 256 MiB, and M_MMAP_MAX 0 so blocks
/// above the threshold come from the heap too), as PyTorch users get with GLIBC_TUNABLES. AVERLAB_MALLOC=default keeps
/// glibc's behaviour; AVERLAB_MALLOC=mmap keeps the retention but maps blocks above the threshold.</para></summary>
public static partial class Engine
{
    private const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3, M_MMAP_MAX = -4;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);

#pragma warning disable CA2255 // a module initializer is the one place that runs before the models allocate
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyDefaults() => ConfigureAllocator(Environment.GetEnvironmentVariable("AVERLAB_MALLOC"));

    /// <summary>The allocator setting in force: "heap-only", "mmap", "default" or "unsupported" (not glibc).</summary>
    public static string Allocator { get; private set; } = "default";

    internal static void ConfigureAllocator(string? mode)
    {
        if (mode == "default" || !OperatingSystem.IsLinux()) return;
        try
        {
            if (mallopt(M_MMAP_THRESHOLD, 32 << 20) != 1 || mallopt(M_TRIM_THRESHOLD, 256 << 20) != 1) return;
            var heapOnly = mode != "mmap";
            if (heapOnly) mallopt(M_MMAP_MAX, 0);
            Allocator = heapOnly ? "heap-only" : "mmap";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Allocator = "unsupported";
        }
    }

    /// <summary>Null when TorchSharp's native library loads and runs an op; otherwise one line naming the library and
    /// what is missing (the loader's own words), for a CLI to print before it exits.</summary>
    public static string? LoadProblem()
    {
        var shim = FindShim();
        if (shim != null && !NativeLibrary.TryLoad(shim, out _))
        {
            try
            {
                NativeLibrary.Load(shim);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                return $"cannot load TorchSharp's native library {shim}: {FirstLine(e.Message)}" +
                    (e.Message.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal)
                        ? " (rebuild with `dotnet build`: the build marks that version weak where the system libstdc++ lacks it)" : "");
            }
        }
        try
        {
            using var t = TorchSharp.torch.ones(1);
            return null;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            var inner = e.InnerException ?? e;
            return $"cannot start TorchSharp (libtorch): {FirstLine(inner.Message)}";
        }
    }

    private static string? FindShim()
    {
        var name = OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";
        var rid = RuntimeInformation.RuntimeIdentifier;
        foreach (var dir in new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"),
                     Path.Combine(AppContext.BaseDirectory, "runtimes", OperatingSystem.IsLinux() ? "linux-x64" : rid, "native") })
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }

    private static string FirstLine(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? s;

    /// <summary>Runs the calling thread's libtorch ops on one thread until disposed (when <paramref name="apply"/>), for
    /// small work where OpenMP's fork and join per op costs more than splitting it saves. libtorch's thread count is
    /// per calling thread (omp_set_num_threads, mkl_set_num_threads_local): no other thread sees the change.</summary>
    public static SingleThreadScope SingleThreaded(bool apply = true) => new(apply);

    public readonly struct SingleThreadScope : IDisposable
    {
        private readonly int restore;

        internal SingleThreadScope(bool apply)
        {
            restore = apply ? TorchSharp.torch.get_num_threads() : 0;
            if (restore > 1) TorchSharp.torch.set_num_threads(1);
        }

        public void Dispose()
        {
            if (restore > 1) TorchSharp.torch.set_num_threads(restore);
        }
    }
}
