using System.Runtime.InteropServices;
using System.Text;

namespace AverLab.TorchRuntime;

/// <summary>Finds a loadable <c>libLibTorchSharp.so</c> when none lies beside the assemblies: a notebook kernel loads
/// AverLab and TorchSharp from the NuGet cache (<c>#r "nuget:"</c>), where TorchSharp 0.107's shim is as shipped and
/// asks for GLIBCXX_3.4.32, which Debian 12's libstdc++ lacks. A copy with that version reference marked weak (as
/// build/TorchSharpNative.targets does to build outputs) is made once under the user's local data folder and loaded
/// after libtorch from its own package, so the copy's NEEDED entries bind to it by soname.</summary>
internal static class TorchSharpShim
{
    private const string Shim = "libLibTorchSharp.so";
    private const string WeakVersion = "GLIBCXX_3.4.32";

    private static readonly string[] SystemLibStdCxx =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    ];

    /// <summary>The path of a shim that loads (libtorch already loaded), or null with <paramref name="why"/> saying why.</summary>
    public static string? FromPackages(out string why)
    {
        why = "";
        // <packages>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll
        var lib = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        var package = lib is null ? null : Path.GetFullPath(Path.Combine(lib, "..", ".."));
        var source = package is null ? null : Path.Combine(package, "runtimes", "linux-x64", "native", Shim);
        if (source is null || !File.Exists(source)) { why = $"{Shim} not beside the assemblies nor in a TorchSharp package"; return null; }
        var packages = Path.GetFullPath(Path.Combine(package!, "..", ".."));
        var libtorch = Directory.Exists(Path.Combine(packages, "libtorch-cpu-linux-x64"))
            ? Directory.GetDirectories(Path.Combine(packages, "libtorch-cpu-linux-x64"))
                .Select(d => Path.Combine(d, "runtimes", "linux-x64", "native"))
                .Where(d => File.Exists(Path.Combine(d, "libtorch.so"))).OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(d)))), out var v) ? v : new Version()).LastOrDefault()
            : null;
        if (libtorch is null) { why = $"no libtorch-cpu-linux-x64 package with libtorch.so under {packages}"; return null; }
        try
        {
            NativeLibrary.Load(Path.Combine(libtorch, "libtorch.so")); // brings libtorch_cpu and libc10 through its $ORIGIN runpath
            var bytes = File.ReadAllBytes(source);
            var system = SystemLibStdCxx.FirstOrDefault(File.Exists);
            if (system is null || Defines(system, WeakVersion)) return source; // the shim loads as shipped
            if (ElfVersionReference.MarkWeak(bytes, WeakVersion, out var error) is null) { why = $"cannot patch {source}: {error}"; return null; }
            var stamp = new FileInfo(source);
            var dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
                "averlab", "native", $"{Path.GetFileName(package)}-{stamp.Length}-{stamp.LastWriteTimeUtc.Ticks}");
            var target = Path.Combine(dir, Shim);
            if (!File.Exists(target))
            {
                Directory.CreateDirectory(dir);
                var temp = $"{target}.{Environment.ProcessId}.tmp";
                File.WriteAllBytes(temp, bytes);
                File.Move(temp, target, overwrite: true); // another process may have made it meanwhile: same bytes
            }
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or BadImageFormatException)
        {
            why = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
            return null;
        }
    }

    private static bool Defines(string library, string version)
    {
        var hay = File.ReadAllBytes(library);
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        return hay.AsSpan().IndexOf(needle) >= 0;
    }
}
