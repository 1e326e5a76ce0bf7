using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace AverLab.NotebookRunner;

/// <summary>Finds the native libraries of packages that <c>#r "nuget:"</c> restored (their <c>runtimes/&lt;rid&gt;/native</c>
/// folders), as the Polyglot kernel's host does: a package's P/Invoke library is not beside the assembly that asks for it,
/// so without this a kernel outside VS Code could not load e.g. OpenCvSharp's or AverLab's native code.</summary>
public static class NativeProbing
{
    private static readonly List<string> Folders = [];
    private static int hooked;

    public static void Add(IEnumerable<ResolvedPackageReference> packages)
    {
        var rid = $"{(OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux")}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        lock (Folders)
            foreach (var p in packages)
                foreach (var dir in p.ProbingPaths.Append(Path.Combine(p.PackageRoot, "runtimes", rid, "native")))
                    if (Directory.Exists(dir) && !Folders.Contains(dir)) Folders.Add(dir);
        if (Interlocked.Exchange(ref hooked, 1) == 0)
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) => Resolve(name);
    }

    private static nint Resolve(string name)
    {
        string[] files = [name, $"lib{name}.so", $"{name}.so", $"lib{name}.dylib", $"{name}.dll"];
        lock (Folders)
            foreach (var dir in Folders)
                foreach (var file in files)
                    if (File.Exists(Path.Combine(dir, file)) && NativeLibrary.TryLoad(Path.Combine(dir, file), out var handle))
                        return handle;
        return 0;
    }
}
