using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AverLab.Notebooks.Tests;

/// <summary>The repository, its configuration, and child processes for the packaging tests: dotnet pack, dotnet tool,
/// the notebook runner.</summary>
internal static class Packing
{
    public static string RepoRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "AverLab.sln"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException($"no AverLab.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Release or Debug: the configuration this test was built in (its folder, bin/&lt;config&gt;/net10.0).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The version Directory.Build.props gives every package (what the notebooks' #r lines name).</summary>
    public static string Version =>
        Regex.Match(File.ReadAllText(Path.Combine(RepoRoot, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;

    /// <summary>A version no NuGet cache can hold yet, so a test restores what it packed itself.</summary>
    public static string TestVersion() => $"0.0.1-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>Packs the solution's libraries and both CLIs as .NET tools (linux-x64: their publish is built for it)
    /// into <paramref name="feed"/> at <paramref name="version"/>, in one build graph: msbuild packs the two tools, whose
    /// bundled libtorch takes most of the time, side by side.</summary>
    public static void PackAll(string feed, string version) =>
        Run("dotnet", ["pack", Path.Combine(RepoRoot, "AverLab.sln"), "-c", Configuration, "-nologo", "-v", "quiet",
            $"-p:PackageOutputPath={feed}", $"-p:PackageVersion={version}", "-p:AverLabPackTools=true"], RepoRoot, timeoutMinutes: 20);

    // PackageVersion, not Version: the packages get the test's version while the assemblies keep theirs, so a pack
    // that builds (the tools) leaves the solution's outputs as every other test project was built against.

    /// <summary>Removes what restoring <paramref name="version"/> put into the NuGet cache (AverLab's packages only).</summary>
    public static void ForgetCached(string version)
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (!Directory.Exists(cache)) return;
        foreach (var dir in Directory.GetDirectories(cache, "averlab*"))
            try { if (Directory.Exists(Path.Combine(dir, version))) Directory.Delete(Path.Combine(dir, version), recursive: true); }
            catch (IOException) { }
    }

    /// <summary>Runs a program to completion; a non-zero exit fails the test with the command and its output.</summary>
    public static string Run(string file, IEnumerable<string> args, string workingDirectory, IDictionary<string, string?>? env = null, int timeoutMinutes = 10)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string?>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(timeoutMinutes)))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', psi.ArgumentList)}: still running after {timeoutMinutes} min");
        }
        var output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0)
            throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', psi.ArgumentList)} exited {process.ExitCode}:\n{output}");
        return output;
    }
}

/// <summary>The feed the notebook and tool tests restore from, packed once per test process when first asked for, at a
/// version no NuGet cache holds (so nothing stale is restored); the notebooks run from it once (<see cref="Notebooks"/>).</summary>
public sealed class PackedFeed : IDisposable
{
    public const string Collection = "packed feed";

    public string Dir { get; } = Directory.CreateTempSubdirectory("averlab-feed-").FullName;
    public string Version { get; } = Packing.TestVersion();
    public NotebookRuns Notebooks { get; }
    private readonly Lazy<Exception?> packed;

    public PackedFeed()
    {
        var feed = Path.Combine(Dir, "feed");
        packed = new(() =>
        {
            try { Packing.PackAll(feed, Version); return null; }
            catch (Exception e) { return e; }
        });
        Notebooks = new NotebookRuns(this);
    }

    /// <summary>The feed folder, packed on the first call; a failed pack fails every caller with its output.</summary>
    public string Ensure() => packed.Value is { } e ? throw new Xunit.Sdk.XunitException(e.Message) : Path.Combine(Dir, "feed");

    public void Dispose()
    {
        Packing.ForgetCached(Version);
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(PackedFeed.Collection)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>;
