using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace AverLab.Tests.Support;

/// <summary>A folder of trained runs built once and reused by every test process that asks for the same recipe with the
/// same code: training a fixture costs minutes, copying it a second. An entry lives under
/// <c>tests/.cache/&lt;name&gt;-&lt;key&gt;/</c> (or <c>$AVERLAB_TEST_CACHE</c>), where the key hashes the recipe text
/// and the bytes of the assemblies that train it (deterministic builds: same sources, same bytes), so a change to the
/// trainer, the models or the recipe trains a new entry. A caller never works in the entry itself: it gets a private
/// copy whose absolute paths (config.yaml's data.root, report.html's run folder) name the copy.</summary>
internal static class TrainedRunCache
{
    /// <summary>Entries kept per name (an entry is hundreds of MB); older ones are deleted when a new one is built.</summary>
    private const int Keep = 1;

    /// <summary>Text files whose absolute paths are rewritten to the copy; everything else is linked or copied as is.</summary>
    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".yaml", ".yml", ".json", ".jsonl", ".html", ".csv", ".txt", ".md", ".log" };

    private const string OriginFile = ".origin";

    public static string Directory =>
        Environment.GetEnvironmentVariable("AVERLAB_TEST_CACHE") is { Length: > 0 } d ? d : Path.Combine(RepoRoot(), "tests", ".cache");

    /// <summary>A private copy, under <paramref name="into"/> (created), of the entry <paramref name="name"/>: built by
    /// <paramref name="build"/> (given an empty folder) when no entry matches <paramref name="recipe"/> and
    /// <paramref name="code"/>'s assemblies, else reused. Safe across processes: one builds, the others wait.</summary>
    public static void Materialize(string name, string recipe, Assembly code, Action<string> build, string into)
    {
        var key = Key(recipe, code);
        var entry = Path.Combine(Directory, $"{name}-{key}");
        System.IO.Directory.CreateDirectory(Directory);
        using (Lock(Path.Combine(Directory, $"{name}.lock")))
        {
            if (!File.Exists(Path.Combine(entry, OriginFile)))
            {
                // Whoever builds holds the lock: a building folder found now was left by a process that died.
                foreach (var stale in System.IO.Directory.GetDirectories(Directory, $".{name}-*.building"))
                    System.IO.Directory.Delete(stale, recursive: true);
                var building = Path.Combine(Directory, $".{name}-{key}.{Environment.ProcessId}.building");
                System.IO.Directory.CreateDirectory(building);
                build(building);
                File.WriteAllText(Path.Combine(building, OriginFile), building);
                if (System.IO.Directory.Exists(entry)) System.IO.Directory.Delete(entry, recursive: true);
                System.IO.Directory.Move(building, entry);
                Evict(name, entry);
            }
            Copy(entry, into, File.ReadAllText(Path.Combine(entry, OriginFile)));
        }
    }

    /// <summary>The recipe, then every AverLab assembly <paramref name="code"/> stands on (itself included), by content.</summary>
    private static string Key(string recipe, Assembly code)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(recipe));
        var seen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var todo = new Stack<Assembly>([code]);
        while (todo.TryPop(out var a))
        {
            var n = a.GetName().Name!;
            if (seen.ContainsKey(n)) continue;
            seen[n] = a.Location;
            foreach (var r in a.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("AverLab.", StringComparison.Ordinal)))
                todo.Push(Assembly.Load(r));
        }
        foreach (var (n, location) in seen)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(n));
            sha.AppendData(File.ReadAllBytes(location));
        }
        sha.AppendData(Encoding.UTF8.GetBytes(typeof(TorchSharp.torch).Assembly.GetName().Version + TorchSharp.torch.__version__));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    /// <summary>An exclusive lock file, waited for (another process may be building the entry: minutes).</summary>
    private static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(500);
            }
        }
    }

    private static void Evict(string name, string keep)
    {
        var old = System.IO.Directory.GetDirectories(Directory, $"{name}-*")
            .Where(d => d != keep).OrderByDescending(System.IO.Directory.GetLastWriteTimeUtc).Skip(Keep - 1);
        foreach (var d in old)
            try { System.IO.Directory.Delete(d, recursive: true); } catch (IOException) { }
    }

    /// <summary>Text files are copied with <paramref name="origin"/> replaced by <paramref name="to"/>; other files are
    /// hard-linked (the run code replaces files by rename, never in place, so the entry stays intact) or copied where a
    /// link cannot be made.</summary>
    private static void Copy(string from, string to, string origin)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var dir in System.IO.Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            System.IO.Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            if (rel == OriginFile) continue;
            var target = Path.Combine(to, rel);
            if (TextExtensions.Contains(Path.GetExtension(file)))
                File.WriteAllText(target, File.ReadAllText(file).Replace(origin, to, StringComparison.Ordinal));
            else if (!OperatingSystem.IsLinux() || link(file, target) != 0)
                File.Copy(file, target);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string oldpath, string newpath);

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "AverLab.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new DirectoryNotFoundException("AverLab.sln not found above the test binaries");
    }
}
