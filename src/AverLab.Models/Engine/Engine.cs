using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AverLab.Models;

/// <summary>Process-level settings for TorchSharp's libtorch, and a clear message when its native library will not load.
/// <para>Allocator: glibc returns freed blocks above its mmap threshold to the system and faults them back in on the next
/// step, so a conv training step spends much of its time in page faults (LRCN 3–4x slower). AverLab keeps freed
/// activation buffers for reuse (mallopt M_MMAP_THRESHOLD 32 MiB, M_TRIM_THRESHOLD 256 MiB, and M_MMAP_MAX 0 so blocks
/// above the threshold come from the heap too), as PyTorch users get with GLIBC_TUNABLES. AVERLAB_MALLOC=default keeps
/// glibc's behaviour; AVERLAB_MALLOC=mmap keeps the retention but maps blocks above the threshold.</para>
/// <para>MKL dispatch: libtorch's MKL (matrix products, VML's sqrt, exp, tanh…) uses its optimized kernels only on
/// CPUs whose vendor string is GenuineIntel. On other x86-64 CPUs AverLab loads native/mkl-dispatch, which answers
/// MKL's vendor check, so MKL picks kernels by the CPU's instruction sets (bench/RESULTS.md, "MKL dispatch").
/// AVERLAB_MKL_DISPATCH=vendor keeps MKL's own check. Results are those of MKL's kernels for the CPU's
/// instruction set, as on an Intel CPU with it; run folders record which dispatch ran.</para></summary>
public static partial class Engine
{
    private const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3, M_MMAP_MAX = -4;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);

#pragma warning disable CA2255 // a module initializer is the one place that runs before the models allocate
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyDefaults()
    {
        AverLab.TorchRuntime.FinalizerGuard.Install();
        ConfigureAllocator(Environment.GetEnvironmentVariable("AVERLAB_MALLOC"));
        ConfigureMklDispatch(Environment.GetEnvironmentVariable("AVERLAB_MKL_DISPATCH"));
    }

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

    /// <summary>The file native/mkl-dispatch builds, copied beside the assemblies.</summary>
    internal const string MklDispatchLibrary = "libaverlab_mkl_dispatch.so";

    /// <summary>How libtorch's MKL picks its kernels: "cpu-features" (vendor check answered by native/mkl-dispatch),
    /// "vendor" (MKL's own check: an Intel CPU, not x86-64 Linux, or AVERLAB_MKL_DISPATCH=vendor), or "vendor (…)"
    /// with the reason the library could not be loaded.</summary>
    public static string MklDispatch { get; private set; } = "vendor";

    private const int RTLD_NOW = 2, RTLD_NOLOAD = 4, RTLD_GLOBAL = 0x100;

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlopen(string file, int mode);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial nint dlerror();

    [LibraryImport("libc", EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlsym(nint handle, string symbol);

    private static readonly Lazy<int> MklBranchValue = new(ProbeMklBranch);

    /// <summary>MKL's CPU branch as its own detection reports it (mkl_serv_cpu_detect in libtorch_cpu.so): 0 is the
    /// generic code MKL runs on a non-Intel CPU whose vendor check was not answered, higher values its optimized
    /// branches (7: AVX-512 here); -1 where it cannot be asked (not Linux, symbol absent).</summary>
    public static int MklBranch => MklBranchValue.Value;

    private static unsafe int ProbeMklBranch()
    {
        if (!OperatingSystem.IsLinux()) return -1;
        try
        {
            _ = TorchSharp.torch.get_num_threads(); // libtorch loaded
            var handle = dlopen("libtorch_cpu.so", RTLD_NOW | RTLD_NOLOAD); // the loaded copy, by soname
            var detect = handle == 0 ? 0 : dlsym(handle, "mkl_serv_cpu_detect");
            return detect == 0 ? -1 : ((delegate* unmanaged<int>)detect)();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    /// <summary>Loads native/mkl-dispatch RTLD_GLOBAL, before libtorch makes its first MKL call (this runs in the
    /// module initializer, ahead of any model): a library in the global scope comes first in symbol lookup, so
    /// libtorch_cpu.so's PLT call of mkl_serv_intel_cpu_true binds to it (MKL caches the answer at its first call).</summary>
    internal static void ConfigureMklDispatch(string? mode)
    {
        if (mode == "vendor" || !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64
            || CpuVendor() is "GenuineIntel" or null) return;
        // Beside the program, or beside this assembly (a notebook kernel loads it from another folder than its own).
        var path = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(Engine).Assembly.Location) ?? "" }
            .Select(dir => Path.Combine(dir, MklDispatchLibrary)).FirstOrDefault(File.Exists);
        if (path is null)
        {
            MklDispatch = $"vendor ({MklDispatchLibrary} not built: needs a C compiler, bash scripts/setup.sh)";
            return;
        }
        try
        {
            if (dlopen(path, RTLD_NOW | RTLD_GLOBAL) != 0) MklDispatch = "cpu-features";
            else MklDispatch = $"vendor (dlopen {path}: {Marshal.PtrToStringUTF8(dlerror())})";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            MklDispatch = $"vendor (no dlopen in libc: {e.Message})";
        }
    }

    /// <summary>The CPU's vendor string (GenuineIntel, AuthenticAMD, …) from /proc/cpuinfo; null when unreadable.</summary>
    internal static string? CpuVendor()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("vendor_id", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
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
