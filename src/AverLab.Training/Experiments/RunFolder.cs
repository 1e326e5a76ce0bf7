using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.IO;

namespace AverLab.Training.Experiments;

/// <summary>experiments/&lt;name&gt;/&lt;timestamp&gt;-&lt;shorthash&gt;/: the record of one run (config.yaml, run.json,
/// split.json, history.csv, metrics.json, model.json, checkpoints/, plots/, report.html).</summary>
public sealed partial class RunFolder
{
    private RunFolder(string path) => Path = path;

    public string Path { get; }
    public string CheckpointDir => System.IO.Path.Combine(Path, "checkpoints");
    public string ConfigYaml => System.IO.Path.Combine(Path, "config.yaml");
    public string RunJson => System.IO.Path.Combine(Path, "run.json");
    public string MetricsJson => System.IO.Path.Combine(Path, "metrics.json");
    public string ModelJson => System.IO.Path.Combine(Path, "model.json");
    public string SplitJson => System.IO.Path.Combine(Path, "split.json");
    public string ReportHtml => System.IO.Path.Combine(Path, "report.html");
    /// <summary>The report's figures, each as PNG and SVG (<see cref="Reports.RunFigures"/>).</summary>
    public string PlotsDir => System.IO.Path.Combine(Path, Reports.RunFigures.Folder);
    public string SkippedJson => System.IO.Path.Combine(Path, "skipped.json");
    /// <summary>The full managed and native stack of a run that failed (the console gets one line).</summary>
    public string ErrorLog => System.IO.Path.Combine(Path, "error.log");
    public string LastCheckpoint => System.IO.Path.Combine(CheckpointDir, "last.safetensors");
    public string BestCheckpoint => System.IO.Path.Combine(CheckpointDir, "best.safetensors");

    /// <summary>A new folder named by the time and a hash of the resolved config.</summary>
    public static RunFolder Create(string outputRoot, string name, string resolvedYaml)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolvedYaml)))[..8];
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = System.IO.Path.Combine(outputRoot, name, $"{stamp}-{hash}");
        for (var i = 2; Directory.Exists(path); i++) path = System.IO.Path.Combine(outputRoot, name, $"{stamp}-{hash}-{i}");
        Directory.CreateDirectory(path);
        var folder = new RunFolder(path);
        Directory.CreateDirectory(folder.CheckpointDir);
        AtomicFile.WriteAllText(folder.ConfigYaml, resolvedYaml);
        return folder;
    }

    /// <summary>The run at <paramref name="path"/>: opened when it exists, created (with its config) otherwise.</summary>
    public static RunFolder OpenOrCreate(string path, string resolvedYaml)
    {
        var folder = new RunFolder(System.IO.Path.GetFullPath(path));
        Directory.CreateDirectory(folder.CheckpointDir);
        AtomicFile.WriteAllText(folder.ConfigYaml, resolvedYaml);
        return folder;
    }

    /// <summary>An existing run (for --resume and evaluate).</summary>
    public static RunFolder Open(string path)
    {
        var folder = new RunFolder(System.IO.Path.GetFullPath(path));
        if (!File.Exists(folder.ConfigYaml))
            throw new DirectoryNotFoundException($"{path}: not a run folder (no config.yaml)");
        return folder;
    }

    public void WriteJson(string file, JsonNode node) =>
        AtomicFile.WriteAllText(file, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>Writes run.json. When the folder already has one (a resumed or continued run), its started_utc stays
    /// and this start is appended to resumed_utc (with the git commit of each resume in resumed_git_commit): a run's
    /// record never loses when it began.</summary>
    public void WriteRunJson(JsonObject run)
    {
        if (File.Exists(RunJson))
        {
            JsonObject? old = null;
            try
            {
                old = JsonNode.Parse(File.ReadAllText(RunJson)) as JsonObject;
            }
            catch (JsonException)
            {
                // A damaged record is replaced, not a reason to stop a resume.
            }
            if (old?["started_utc"] is { } started)
            {
                var now = run["started_utc"]!.DeepClone();
                run["started_utc"] = started.DeepClone();
                var resumed = old["resumed_utc"] is JsonArray r ? (JsonArray)r.DeepClone() : [];
                resumed.Add(now);
                run["resumed_utc"] = resumed;
                var commits = old["resumed_git_commit"] is JsonArray c ? (JsonArray)c.DeepClone() : [];
                commits.Add(run["git_commit"]!.DeepClone());
                run["resumed_git_commit"] = commits;
                if (old["git_commit"] is { } firstCommit) run["git_commit"] = firstCommit.DeepClone();
                if (old["git_dirty"] is { } firstDirty) run["git_dirty"] = firstDirty.DeepClone();
            }
        }
        WriteJson(RunJson, run);
    }

    /// <summary>Deletes the temp files of atomic writes (<c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c>, see
    /// <see cref="AtomicFile"/>) that a killed process left in the run folder or its checkpoints/, unless their
    /// process is still alive. Returns the files removed.</summary>
    public IReadOnlyList<string> RemoveStaleTempFiles()
    {
        var removed = new List<string>();
        foreach (var dir in new[] { Path, CheckpointDir }.Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(dir, ".*.tmp"))
            {
                var m = TempName().Match(System.IO.Path.GetFileName(file));
                if (!m.Success || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
                if (pid != System.Environment.ProcessId && IsAlive(pid)) continue;
                try
                {
                    File.Delete(file);
                    removed.Add(file);
                }
                catch (IOException)
                {
                    // Gone already, or held: nothing to clean then.
                }
            }
        return removed;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\..+\.(\d+)\.[0-9a-f]{32}\.tmp$")]
    private static partial System.Text.RegularExpressions.Regex TempName();

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Where to look for the git checkout a run comes from, in order: the config's folder (a config inside a
    /// checkout records that checkout), then the folder of the running program (built from a checkout). Never the
    /// current directory, which says nothing about the code or the config.</summary>
    public static IReadOnlyList<string> SourceDirectories(string? configFile)
    {
        var dirs = new List<string>();
        if (!string.IsNullOrEmpty(configFile) && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(configFile)) is { } c && Directory.Exists(c))
            dirs.Add(c);
        dirs.Add(AppContext.BaseDirectory);
        return dirs;
    }

    /// <summary>Facts about where and how the run ran: seed, git commit (+ dirty flag) of the first of
    /// <paramref name="sourceDirs"/> inside a git checkout, versions, threads.</summary>
    public static JsonObject Environment(long seed, int threads, string manifestHash, IReadOnlyList<string>? sourceDirs = null)
    {
        var (commit, dirty) = Git(sourceDirs ?? SourceDirectories(null));
        return new JsonObject
        {
            ["seed"] = seed,
            ["git_commit"] = commit,
            ["git_dirty"] = dirty,
            ["averlab"] = typeof(RunFolder).Assembly.GetName().Version?.ToString() ?? "unknown",
            ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            ["libtorch"] = TorchSharp.torch.__version__,
            ["dotnet"] = System.Environment.Version.ToString(),
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["threads"] = threads,
            ["mkl_dispatch"] = AverLab.Models.Engine.MklDispatch,
            ["finalizer_guard"] = AverLab.TorchRuntime.FinalizerGuard.State,
            ["processors"] = System.Environment.ProcessorCount,
            ["data_manifest_sha256"] = manifestHash,
            ["started_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The HEAD commit and dirty flag of the checkout holding the first of <paramref name="dirs"/> that is in
    /// one ("unknown (not a git checkout)" when none is).</summary>
    public static (string commit, bool? dirty) Git(IReadOnlyList<string> dirs)
    {
        string Run(string dir, params string[] args)
        {
            var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-C");
            psi.ArgumentList.Add(dir);
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var error = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            _ = error.Result;
            return p.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException(string.Join(' ', args));
        }
        foreach (var dir in dirs)
        {
            try
            {
                var commit = Run(dir, "rev-parse", "HEAD");
                var dirty = Run(dir, "status", "--porcelain", "--untracked-files=no").Length > 0;
                return (commit, dirty);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Not a checkout (or no git): try the next place.
            }
        }
        return ("unknown (not a git checkout)", null);
    }
}
