using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.IO;

namespace AverLab.Runs;

/// <summary>experiments/&lt;name&gt;/&lt;timestamp&gt;-&lt;shorthash&gt;/: the record of one run, its files named by
/// <see cref="RunLayout"/> (config.yaml, run.json, split.json, history.csv, metrics.json, model.json, checkpoints/,
/// plots/, report.html), written atomically.</summary>
public sealed partial class RunFolder
{
    private RunFolder(string path) => Path = path;

    public string Path { get; }
    public string CheckpointDir => In(RunLayout.CheckpointsDir);
    public string ConfigYaml => In(RunLayout.ConfigYaml);
    public string RunJson => In(RunLayout.RunJson);
    public string MetricsJson => In(RunLayout.MetricsJson);
    public string ModelJson => In(RunLayout.ModelJson);
    public string SplitJson => In(RunLayout.SplitJson);
    public string HistoryCsv => In(RunLayout.HistoryCsv);
    public string HistoryJsonl => In(RunLayout.HistoryJsonl);
    public string ReportHtml => In(RunLayout.ReportHtml);
    /// <summary>The report's figures, each as PNG and SVG.</summary>
    public string PlotsDir => In(RunLayout.PlotsDir);
    public string SkippedJson => In(RunLayout.SkippedJson);
    /// <summary>The full managed and native stack of a run that failed (the console gets one line).</summary>
    public string ErrorLog => In(RunLayout.ErrorLog);
    public string LastCheckpoint => In(RunLayout.LastCheckpoint);
    public string BestCheckpoint => In(RunLayout.BestCheckpoint);
    public string ExplanationsDir => In(RunLayout.ExplanationsDir);
    public string EvaluationsDir => In(RunLayout.EvaluationsDir);
    /// <summary>Present in a model package only.</summary>
    public string PackageJson => In(RunLayout.PackageJson);
    public bool IsPackage => File.Exists(PackageJson);
    /// <summary>A finished run (or package): it has its test metrics.</summary>
    public bool HasMetrics => File.Exists(MetricsJson);

    /// <summary>A path inside the folder, from a <see cref="RunLayout"/> name (or a card's relative checkpoint).</summary>
    public string In(string relative) => System.IO.Path.Combine(Path, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

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

    /// <summary>The layout of a run folder at <paramref name="path"/>, whatever is there (nothing is checked).</summary>
    public static RunFolder At(string path) => new(path);

    /// <summary>An existing run (for --resume and evaluate).</summary>
    public static RunFolder Open(string path)
    {
        var folder = new RunFolder(System.IO.Path.GetFullPath(path));
        if (!File.Exists(folder.ConfigYaml))
            throw new DirectoryNotFoundException($"{path}: not a run folder (no config.yaml)");
        return folder;
    }

    /// <summary>Indented JSON and a final newline, written atomically: the format of every JSON file of a run.</summary>
    public static readonly JsonSerializerOptions JsonFormat = new() { WriteIndented = true };

    public void WriteJson(string file, JsonNode node) => AtomicFile.WriteAllText(file, node.ToJsonString(JsonFormat) + "\n");

    /// <summary>metrics.json, from its typed record.</summary>
    public void WriteMetrics(MetricsRecord metrics) => AtomicFile.WriteAllText(MetricsJson, JsonSerializer.Serialize(metrics, JsonFormat) + "\n");

    /// <summary>metrics.json as its typed record; null when the run has none (it did not finish).</summary>
    public MetricsRecord? ReadMetrics() => MetricsRecord.Read(MetricsJson);

    /// <summary>Writes run.json. When the folder already has one (a resumed or continued run), its started_utc stays
    /// and this start is appended to resumed_utc (with the git commit of each resume in resumed_git_commit): a run's
    /// record never loses when it began.</summary>
    public void WriteRunJson(RunRecord run)
    {
        RunRecord? earlier = null;
        try
        {
            earlier = RunRecord.Read(RunJson);
        }
        catch (InvalidDataException)
        {
            // A damaged record is replaced, not a reason to stop a resume.
        }
        if (earlier is { StartedUtc.Length: > 0 }) run = run.ResumingFrom(earlier);
        AtomicFile.WriteAllText(RunJson, JsonSerializer.Serialize(run, JsonFormat) + "\n");
    }

    /// <summary>run.json as its typed record; null when the folder has none.</summary>
    public RunRecord? ReadRun() => RunRecord.Read(RunJson);

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
}
