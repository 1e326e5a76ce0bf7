using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.Torch.Serialization;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

namespace AverLab.Training.Search;

public sealed record SweepOptions
{
    /// <summary>Continue the sweep in this folder: finished jobs are not run again.</summary>
    public string? ResumeDir { get; init; }
    public Action<string>? Log { get; init; }
    /// <summary>Stop after this many jobs of this call (tests of resume).</summary>
    public int? StopAfterJobs { get; init; }
}

public sealed record SweepResult(string Folder, int BestTrial, string Metric, double BestValue, string BestConfigPath, int JobsRun);

/// <summary>Runs a search: trials are normal run folders under &lt;sweep&gt;/trials/, each with the config plus its
/// parameter overrides. Every finished job is appended to jobs.jsonl, so an interrupted sweep resumes without
/// repeating one; ASHA continues a promoted trial from its last checkpoint to the next rung's epochs.
/// Writes results.csv, results.html and best_config.yaml.</summary>
public static class SweepRunner
{
    private sealed record Job(int Trial, int Rung, int Epochs, double Metric);

    public static SweepResult Run(ConfigLoader.Loaded loaded, SweepOptions? options = null)
    {
        options ??= new SweepOptions();
        var config = loaded.Config;
        var search = config.Search ?? throw new ConfigException(loaded.File, 0, 0, "search", "the config has no search: section (strategy, trials, space)");
        if (search.Space.Count == 0) throw new ConfigException(loaded.File, 0, 0, "search.space", "the search space is empty");
        if (search.Workers > 1)
            options.Log?.Invoke($"note: workers {search.Workers} requested; trials run one at a time in this process (libtorch's thread pool is per process)");
        var dir = options.ResumeDir ?? Path.Combine(config.Output.Root, config.Name,
            "sweep-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var trialsPath = Path.Combine(dir, "trials.json");
        List<Dictionary<string, string>> trials;
        if (File.Exists(trialsPath))
            trials = JsonSerializer.Deserialize<List<Dictionary<string, string>>>(File.ReadAllText(trialsPath))!;
        else
        {
            trials = search.Strategy == SearchStrategy.Grid ? SearchSpace.Grid(search.Space) : SearchSpace.Random(search.Space, search.Trials, config.Seed);
            AtomicFile.WriteAllText(trialsPath, JsonSerializer.Serialize(trials, new JsonSerializerOptions { WriteIndented = true }));
        }
        var jobsPath = Path.Combine(dir, "jobs.jsonl");
        var done = File.Exists(jobsPath)
            ? File.ReadAllLines(jobsPath).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Job>(l)!).ToList()
            : [];
        var maximize = search.Mode == MonitorMode.Max;
        var ran = 0;

        Job RunJob(int trial, int rung, int epochs)
        {
            var sets = trials[trial].Select(kv => $"{kv.Key}={kv.Value}").Append($"training.epochs={epochs}").ToList();
            var trialConfig = ConfigLoader.FromText(File.ReadAllText(loaded.File), loaded.File, sets);
            var runDir = Path.Combine(dir, "trials", $"trial-{trial:D3}");
            options.Log?.Invoke($"trial {trial} (rung {rung}, {epochs} epochs): {string.Join(", ", trials[trial].Select(kv => $"{kv.Key}={kv.Value}"))}");
            var r = ExperimentRunner.Run(trialConfig, new RunOptions { RunDir = runDir, BootstrapSamples = 0 });
            var values = r.History.Select(h => h.Get(search.Metric)).Where(double.IsFinite).ToList();
            var metric = values.Count == 0 ? double.NaN : maximize ? values.Max() : values.Min();
            var job = new Job(trial, rung, epochs, metric);
            File.AppendAllText(jobsPath, JsonSerializer.Serialize(job) + "\n");
            done.Add(job);
            ran++;
            options.Log?.Invoke($"trial {trial}: {search.Metric} = {metric:F4}");
            return job;
        }

        bool Budget() => options.StopAfterJobs is not { } n || ran < n;

        if (search.Strategy == SearchStrategy.Asha)
        {
            var asha = new Asha(trials.Count, search.MinEpochs, config.Training.Epochs, search.ReductionFactor, maximize);
            foreach (var j in done) asha.Report(j.Trial, j.Rung, j.Metric);
            while (Budget() && asha.Next() is { } next)
            {
                var job = RunJob(next.Trial, next.Rung, next.Epochs);
                asha.Report(job.Trial, job.Rung, job.Metric);
            }
        }
        else
        {
            for (var t = 0; t < trials.Count && Budget(); t++)
                if (!done.Any(j => j.Trial == t)) RunJob(t, 0, config.Training.Epochs);
        }

        // Rank by the deepest rung each trial reached, then by metric.
        var final = done.GroupBy(j => j.Trial).Select(g => g.OrderByDescending(j => j.Rung).First()).ToList();
        var ranked = final.OrderByDescending(j => j.Rung)
            .ThenBy(j => maximize ? -Safe(j.Metric, maximize) : Safe(j.Metric, maximize)).ToList();
        var best = ranked.FirstOrDefault() ?? throw new InvalidOperationException($"{dir}: no trial has finished yet");
        var bestSets = trials[best.Trial].Select(kv => $"{kv.Key}={kv.Value}").ToList();
        var bestConfig = ConfigLoader.FromText(File.ReadAllText(loaded.File), loaded.File, bestSets, checkPaths: false).ResolvedYaml();
        var bestPath = Path.Combine(dir, "best_config.yaml");
        AtomicFile.WriteAllText(bestPath, bestConfig);
        WriteResults(dir, trials, ranked, search.Metric);
        return new SweepResult(dir, best.Trial, search.Metric, best.Metric, bestPath, ran);
    }

    private static double Safe(double v, bool maximize) => double.IsFinite(v) ? v : maximize ? double.NegativeInfinity : double.PositiveInfinity;

    private static void WriteResults(string dir, List<Dictionary<string, string>> trials, List<Job> ranked, string metric)
    {
        var keys = trials.SelectMany(t => t.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder("rank,trial,rung,epochs," + metric + "," + string.Join(",", keys) + "\n");
        var html = new StringBuilder($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>sweep</title><style>td,th{{border:1px solid #ccc;padding:3px 8px}}table{{border-collapse:collapse}}</style></head><body><h1>Sweep results</h1><table id=\"results\"><tr><th>rank</th><th>trial</th><th>rung</th><th>epochs</th><th>{metric}</th>");
        foreach (var k in keys) html.Append("<th>").Append(WebUtility.HtmlEncode(k)).Append("</th>");
        html.Append("</tr>");
        for (var i = 0; i < ranked.Count; i++)
        {
            var j = ranked[i];
            var values = keys.Select(k => trials[j.Trial].GetValueOrDefault(k, "")).ToList();
            csv.Append(CultureInfo.InvariantCulture, $"{i + 1},{j.Trial},{j.Rung},{j.Epochs},{j.Metric:R},{string.Join(",", values)}\n");
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{i + 1}</td><td>{j.Trial}</td><td>{j.Rung}</td><td>{j.Epochs}</td><td>{j.Metric:F4}</td>");
            foreach (var v in values) html.Append("<td>").Append(WebUtility.HtmlEncode(v)).Append("</td>");
            html.Append("</tr>");
        }
        AtomicFile.WriteAllText(Path.Combine(dir, "results.csv"), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(dir, "results.html"), html.Append("</table></body></html>").ToString());
    }
}
