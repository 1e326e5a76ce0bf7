using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AverLab.FrontEnds;
using AverLab.Inference;
using AverLab.Runs;

namespace AverLab.Web;

/// <summary>A trained run folder as the web app shows it, read from its files (model.json, metrics.json, run.json,
/// split.json, history.csv, report.html).</summary>
public sealed record RunInfo
{
    /// <summary>Opaque id (hash of the folder's path under the experiments folder); requests name runs by id only.</summary>
    public required string Id { get; init; }
    public required string Path { get; init; }
    /// <summary>The folder relative to the experiments folder ('/' separated).</summary>
    public required string Name { get; init; }
    public required string Model { get; init; }
    public required string Corpus { get; init; }
    public required string Split { get; init; }
    public int? Epochs { get; init; }
    public double? Accuracy { get; init; }
    public double[]? AccuracyCi { get; init; }
    public double? MacroF1 { get; init; }
    public double[]? MacroF1Ci { get; init; }
    public required DateTime CreatedUtc { get; init; }
    /// <summary>What it can analyse; null when model.json cannot be read (listed, but not usable for analyses).</summary>
    public ModelRoles? Roles { get; init; }
    public string? Problem { get; init; }
    public bool HasReport => File.Exists(System.IO.Path.Combine(Path, AverLab.Runs.RunLayout.ReportHtml));
    public string RolesText => Roles is not { } r ? "-" :
        string.Join(", ", new[] { r.Audio ? "audio" : null, r.Faces ? "faces" : null, r.Clips ? (r.AudioVisualClips ? "audio-visual clips" : "video clips") : null }.OfType<string>());
}

/// <summary>A sweep folder (trials/, jobs.jsonl, results.csv).</summary>
public sealed record SweepInfo(string Id, string Path, string Name, int Trials, int Jobs);

/// <summary>A cross-validation folder (cv.json, fold-N/).</summary>
public sealed record CvInfo(string Id, string Path, string Name, int Folds, double? AccuracyMean, double? AccuracyStd, double? MacroF1Mean, double? MacroF1Std);

/// <summary>Everything found under the experiments folder at one moment.</summary>
public sealed record Catalog(IReadOnlyList<RunInfo> Runs, IReadOnlyList<SweepInfo> Sweeps, IReadOnlyList<CvInfo> Cvs)
{
    /// <summary>The installed model packages (models/, $AVERLAB_MODELS) as runs: the default when no run fits a file.</summary>
    public IReadOnlyList<RunInfo> Packages { get; init; } = [];

    public RunInfo? Run(string id) => Runs.FirstOrDefault(r => r.Id == id) ?? Packages.FirstOrDefault(r => r.Id == id);
    public SweepInfo? Sweep(string id) => Sweeps.FirstOrDefault(r => r.Id == id);
    public CvInfo? Cv(string id) => Cvs.FirstOrDefault(r => r.Id == id);
}

/// <summary>Reads the experiments folder: run folders (model.json + metrics.json), sweeps (sweep-*/ with trials) and
/// cv results (cv.json). Read only; a folder whose files cannot be read is listed with its problem, never fatal.</summary>
public sealed class RunCatalog(string experimentsDir, IReadOnlyList<(string Dir, string Origin)>? packageLocations = null)
{
    public string Root { get; } = System.IO.Path.GetFullPath(experimentsDir);

    /// <summary>Where model packages are looked for (null: <see cref="ModelPackages.Locations()"/> at each scan).</summary>
    private IReadOnlyList<(string Dir, string Origin)> PackageLocations => packageLocations ?? ModelPackages.Locations();

    private static readonly string[] SkippedFolders = [AverLab.Runs.RunLayout.CheckpointsDir, AverLab.Runs.RunLayout.PlotsDir, "node_modules"];

    public Catalog Scan()
    {
        var runs = new List<RunInfo>();
        var sweeps = new List<SweepInfo>();
        var cvs = new List<CvInfo>();
        if (Directory.Exists(Root)) Walk(Root, 0, runs, sweeps, cvs);
        return new Catalog(runs.OrderByDescending(r => r.CreatedUtc).ThenBy(r => r.Name, StringComparer.Ordinal).ToList(),
            sweeps.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(), cvs.OrderBy(c => c.Name, StringComparer.Ordinal).ToList())
        {
            Packages = ModelPackages.Find(PackageLocations).Select(ReadPackage).ToList(),
        };
    }

    /// <summary>A package as a run: its metrics and roles, named "package &lt;name&gt;", its id a hash of its folder (ids
    /// of runs hash their path below the experiments folder, so the two never meet).</summary>
    private RunInfo ReadPackage(InstalledPackage p)
    {
        var run = ReadRun(p.Folder);
        return run with
        {
            Id = "pkg-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(p.Folder)))[..12],
            Name = $"package {p.Name}", Roles = p.Problem == null ? run.Roles : null, Problem = p.Problem ?? run.Problem,
        };
    }

    private void Walk(string dir, int depth, List<RunInfo> runs, List<SweepInfo> sweeps, List<CvInfo> cvs)
    {
        if (File.Exists(System.IO.Path.Combine(dir, AverLab.Runs.RunLayout.ModelJson)) && File.Exists(System.IO.Path.Combine(dir, AverLab.Runs.RunLayout.MetricsJson)))
        {
            runs.Add(ReadRun(dir));
            return;
        }
        if (File.Exists(System.IO.Path.Combine(dir, AverLab.Runs.RunLayout.CvJson))) cvs.Add(ReadCv(dir));
        if (File.Exists(System.IO.Path.Combine(dir, AverLab.Runs.RunLayout.SweepJobsJsonl)) || File.Exists(System.IO.Path.Combine(dir, AverLab.Runs.RunLayout.SweepTrialsJson))) sweeps.Add(ReadSweep(dir));
        if (depth >= 8) return;
        IEnumerable<string> children;
        try { children = Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var child in children)
        {
            var name = System.IO.Path.GetFileName(child);
            if (name.StartsWith('.') || SkippedFolders.Contains(name)) continue;
            Walk(child, depth + 1, runs, sweeps, cvs);
        }
    }

    public string RelativeName(string dir) => System.IO.Path.GetRelativePath(Root, dir).Replace('\\', '/');

    public string IdOf(string dir) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RelativeName(dir))))[..12];

    private static JsonNode? TryJson(string path)
    {
        try { return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException) { return null; }
    }

    private static double? D(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    private static double[]? Ci(double?[]? ci) => ci is [{ } lo, { } hi] ? [lo, hi] : null;

    /// <summary>A run-folder record, or null when it is missing or damaged (the catalog lists the run with less).</summary>
    private static T? TryRead<T>(Func<T?> read) where T : class
    {
        try { return read(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException) { return null; }
    }

    private RunInfo ReadRun(string dir)
    {
        var metrics = TryRead(() => MetricsRecord.Read(System.IO.Path.Combine(dir, RunLayout.MetricsJson)));
        var run = TryRead(() => RunRecord.Read(System.IO.Path.Combine(dir, RunLayout.RunJson)));
        var split = TryJson(System.IO.Path.Combine(dir, AverLab.Runs.RunLayout.SplitJson));
        var cardPath = System.IO.Path.Combine(dir, AverLab.Runs.RunLayout.ModelJson);
        ModelCard? card = null;
        ModelRoles? roles = null;
        string? problem = null;
        try
        {
            card = ModelCard.Load(cardPath);
            roles = Predictor.RolesOf(card);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problem = $"{RelativeName(cardPath)}: {e.Message}";
        }
        var created = run?.StartedUtc is { } s && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t : File.GetLastWriteTimeUtc(cardPath);
        var protocol = split?["protocol"]?.ToString();
        var counts = run?.TrainItems is { } train
            ? $"train {train}, val {run.ValidationItems}, test {run.TestItems}" : null;
        var test = metrics?.Test;
        return new RunInfo
        {
            Id = IdOf(dir), Path = dir, Name = RelativeName(dir),
            Model = card?.Model ?? TryJson(cardPath)?["model"]?.ToString() ?? "?",
            Corpus = card?.Corpus is { Length: > 0 } c ? c : "?",
            Split = string.Join("; ", new[] { protocol, counts }.OfType<string>()) is { Length: > 0 } sp ? sp : "?",
            Epochs = metrics?.Epochs,
            Accuracy = test?.Accuracy, AccuracyCi = Ci(test?.AccuracyCi95),
            MacroF1 = test?.MacroF1, MacroF1Ci = Ci(test?.MacroF1Ci95),
            CreatedUtc = created, Roles = roles, Problem = problem,
        };
    }

    private SweepInfo ReadSweep(string dir)
    {
        var trials = TryJson(System.IO.Path.Combine(dir, AverLab.Runs.RunLayout.SweepTrialsJson)) as JsonArray;
        return new SweepInfo(IdOf(dir), dir, RelativeName(dir), trials?.Count ?? 0, ReadJobs(dir).Count);
    }

    private CvInfo ReadCv(string dir)
    {
        var cv = TryJson(System.IO.Path.Combine(dir, AverLab.Runs.RunLayout.CvJson));
        return new CvInfo(IdOf(dir), dir, RelativeName(dir), (cv?["folds"] as JsonArray)?.Count ?? 0,
            D(cv?["accuracy"]?["mean"]), D(cv?["accuracy"]?["std"]), D(cv?["macro_f1"]?["mean"]), D(cv?["macro_f1"]?["std"]));
    }

    /// <summary>One finished sweep job (jobs.jsonl): a trial trained to a rung's epochs and its metric.</summary>
    public sealed record SweepJob(int Trial, int Rung, int Epochs, double Metric);

    public static List<SweepJob> ReadJobs(string sweepDir)
    {
        var path = System.IO.Path.Combine(sweepDir, AverLab.Runs.RunLayout.SweepJobsJsonl);
        var jobs = new List<SweepJob>();
        if (!File.Exists(path)) return jobs;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            try
            {
                var o = JsonNode.Parse(line) as JsonObject;
                if (o == null) continue;
                JsonNode? P(string name) => o.FirstOrDefault(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
                jobs.Add(new SweepJob((int)(D(P("trial")) ?? -1), (int)(D(P("rung")) ?? 0), (int)(D(P("epochs")) ?? 0), D(P("metric")) ?? double.NaN));
            }
            catch (System.Text.Json.JsonException) { }
        }
        return jobs;
    }

    /// <summary>The rows of a CSV written by AverLab (no quoted commas in numeric files): header and cells.</summary>
    public static (string[] Header, List<string[]> Rows) ReadCsv(string path)
    {
        if (!File.Exists(path)) return ([], []);
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) return ([], []);
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    /// <summary>history.csv as columns (epoch, train_loss, train_acc, val_loss, val_acc, lr, seconds); a cell that is
    /// not a number is NaN.</summary>
    public static Dictionary<string, double[]> ReadHistory(string runDir)
    {
        var (header, rows) = ReadCsv(System.IO.Path.Combine(runDir, AverLab.Runs.RunLayout.HistoryCsv));
        var columns = new Dictionary<string, double[]>();
        for (var c = 0; c < header.Length; c++)
            columns[header[c]] = rows.Select(r => c < r.Length && double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
        return columns;
    }

    /// <summary>The folds of a cv.json: fold, accuracy, macro F1, balanced accuracy and the fold's run folder.</summary>
    public static List<(int Fold, double? Accuracy, double? MacroF1, double? Balanced, string Run)> ReadFolds(string cvDir)
    {
        var cv = TryJson(System.IO.Path.Combine(cvDir, AverLab.Runs.RunLayout.CvJson));
        return (cv?["folds"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(f => ((int)(D(f["fold"]) ?? -1), D(f["accuracy"]), D(f["macro_f1"]), D(f["balanced_accuracy"]), f["run"]?.ToString() ?? "")).ToList();
    }
}
