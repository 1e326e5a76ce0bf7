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
public sealed class RunFolder
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

    /// <summary>Facts about where and how the run ran: seed, git commit (+ dirty flag), versions, threads.</summary>
    public static JsonObject Environment(long seed, int threads, string manifestHash)
    {
        var (commit, dirty) = Git();
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
            ["processors"] = System.Environment.ProcessorCount,
            ["data_manifest_sha256"] = manifestHash,
            ["started_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        };
    }

    private static (string commit, bool? dirty) Git()
    {
        string Run(string args)
        {
            var psi = new ProcessStartInfo("git", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException(args);
        }
        try
        {
            var commit = Run("rev-parse HEAD");
            var dirty = Run("status --porcelain --untracked-files=no").Length > 0;
            return (commit, dirty);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return ("unknown (not a git checkout)", null);
        }
    }
}
