using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AverLab.TorchRuntime;

/// <summary>Keeps the garbage collector's finalizer thread from freeing a TorchSharp Scalar or Tensor while a native
/// call that was handed it still runs. TorchSharp 0.107 makes temporary Scalars inside its own methods (the alpha of
/// every <c>a + b</c>, every number passed to a tensor method) and passes their raw handles; a collection started by
/// any other thread can finalize them mid-call, and libtorch then reads freed memory ("Unknown scalar type"). The
/// guard answers TorchSharp's P/Invoke lookups of libLibTorchSharp.so with native/finalizer-guard, whose two dispose
/// functions hold what the finalizer thread frees for <see cref="DelayMs"/> before freeing it; explicit Dispose (dispose
/// scopes, <c>using</c>) frees at once, and every other function is the real library's.
/// <para>AVERLAB_FINALIZER_GUARD=off leaves TorchSharp as shipped (for reproducing the race);
/// AVERLAB_FINALIZER_GUARD_MS sets the hold time (default 2000).</para></summary>
public static partial class FinalizerGuard
{
    /// <summary>The file native/finalizer-guard builds, copied beside the assemblies.</summary>
    public const string LibraryName = "libaverlab_finalizer_guard.so";

    private const string TorchSharpLibrary = "LibTorchSharp";
    private static readonly object Gate = new();
    private static nint guardHandle;

    /// <summary>"on", "off (why)", or "not installed" before <see cref="Install"/> ran.</summary>
    public static string State { get; private set; } = "not installed";

    /// <summary>How long finalized handles are held before they are freed.</summary>
    public static int DelayMs { get; private set; }

    public static bool IsActive => guardHandle != 0;

#pragma warning disable CA2255 // runs before this assembly's first use; Data and Models call Install from theirs too
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ModuleInit() => Install();

    /// <summary>Installs the guard once per process (later calls do nothing). Must run before TorchSharp's first native
    /// call from the process: every AverLab assembly that uses TorchSharp calls it from its module initializer.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (State != "not installed") return;
            State = TryInstall(Environment.GetEnvironmentVariable("AVERLAB_FINALIZER_GUARD"),
                Environment.GetEnvironmentVariable("AVERLAB_FINALIZER_GUARD_MS"));
        }
    }

    private static unsafe string TryInstall(string? mode, string? delay)
    {
        if (mode == "off") return "off (AVERLAB_FINALIZER_GUARD=off)";
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return "off (built for Linux x64 only)";
        DelayMs = int.TryParse(delay, out var ms) && ms >= 0 ? ms : 2000;
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        var dirs = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(FinalizerGuard).Assembly.Location) ?? "" };
        var guardPath = dirs.Select(d => Path.Combine(d, LibraryName)).FirstOrDefault(File.Exists);
        var realPath = dirs.SelectMany(d => new[] { Path.Combine(d, "libLibTorchSharp.so"), Path.Combine(d, "runtimes", "linux-x64", "native", "libLibTorchSharp.so") })
            .FirstOrDefault(File.Exists);
        if (realPath is null)
        {
            // Loaded from NuGet packages (a notebook's #r "nuget:"): TorchSharp would load its unpatched shim and fail
            // on Debian 12, so it is pointed at a loadable copy, guard or not.
            realPath = TorchSharpShim.FromPackages(out var why);
            if (realPath is null) return $"off ({why})";
            if (guardPath is null)
            {
                var shim = NativeLibrary.Load(realPath);
                NativeLibrary.SetDllImportResolver(torchSharp, (name, _, _) => name == TorchSharpLibrary ? shim : 0);
                return $"off ({LibraryName} not in the package; TorchSharp's shim from {realPath})";
            }
        }
        if (guardPath is null) return $"off ({LibraryName} not built: needs a C compiler, bash scripts/setup.sh)";
        try
        {
            // The real library first: the guard's DT_NEEDED then binds to it by soname.
            var real = NativeLibrary.Load(realPath);
            var guard = NativeLibrary.Load(guardPath);
            var init = (delegate* unmanaged<nint, nint, ulong, int>)NativeLibrary.GetExport(guard, "averlab_guard_init");
            if (init(NativeLibrary.GetExport(real, "THSTorch_dispose_scalar"), NativeLibrary.GetExport(real, "THSTensor_dispose"), (ulong)DelayMs) != 0)
                return "off (averlab_guard_init refused the dispose functions)";
            NativeLibrary.SetDllImportResolver(torchSharp, (name, _, _) => name == TorchSharpLibrary ? guard : 0);
            guardHandle = guard;
            return "on";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            return $"off ({e.GetType().Name}: {e.Message.Split('\n')[0]})";
        }
    }

    /// <summary>Handles held since start, released since start, and held now; zeros when the guard is off.</summary>
    public static unsafe (ulong deferred, ulong released, ulong heldNow) Stats()
    {
        if (guardHandle == 0) return (0, 0, 0);
        var stats = (delegate* unmanaged<ulong*, ulong*, ulong*, void>)NativeLibrary.GetExport(guardHandle, "averlab_guard_stats");
        ulong d, r, h;
        stats(&d, &r, &h);
        return (d, r, h);
    }
}
