using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.IO;
using AverLab.Training.Cluster;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.Runs;

namespace AverLab.Training.Search;

public sealed record SweepOptions
{
    /// <summary>Continue the sweep in this folder: finished jobs are not run again.</summary>
    public string? ResumeDir { get; init; }
    public Action<string>? Log { get; init; }
    /// <summary>Stop after this many jobs of this call (tests of resume).</summary>
    public int? StopAfterJobs { get; init; }
    /// <summary>With search.workers &gt; 1: the command that trains one trial in a child process, given the trial's
    /// config file and run folder (the Train CLI passes itself: `averlab-train --config F --run-dir D`).</summary>
    public Func<string, string, System.Diagnostics.ProcessStartInfo>? WorkerCommand { get; init; }
    /// <summary>Overrides search.backend (the CLI's --backend).</summary>
    public SearchBackend? Backend { get; init; }
    /// <summary>Backend slurm: the training command each array task runs before --config/--run-dir, unless
    /// search.slurm.command is set (the CLI passes itself).</summary>
    public IReadOnlyList<string>? TrainCommand { get; init; }
    /// <summary>Backend slurm: write the trial configs and the sbatch script, submit nothing (--emit-only).</summary>
    public bool EmitOnly { get; init; }
}

public sealed record SweepResult(string Folder, int BestTrial, string Metric, double BestValue, string BestConfigPath, int JobsRun)
{
    /// <summary>--emit-only: the sbatch script written (nothing ran).</summary>
    public string? EmittedScript { get; init; }
    /// <summary>Backend slurm: trials that failed on every attempt (slurm/failed.json).</summary>
    public IReadOnlyList<string> Failed { get; init; } = [];
}

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
        var sweep = new Sweep(loaded, options);
        sweep.OpenFolder();
        if (sweep.Backend == SearchBackend.Slurm) return sweep.RunOnSlurm();
        if (sweep.Search.Strategy == SearchStrategy.Asha) sweep.RunAsha();
        else sweep.RunEveryTrial();
        return sweep.Finish();
    }

    /// <summary>One sweep: its settings, folder, trials and finished jobs, and the stages <see cref="Run"/> calls.</summary>
    private sealed class Sweep
    {
        private readonly ConfigLoader.Loaded loaded;
        private readonly SweepOptions options;
        private readonly object gate = new();
        private string dir = "";
        private List<Dictionary<string, string>> trials = [];
        private List<Job> done = [];
        private int ran;

        public Sweep(ConfigLoader.Loaded loaded, SweepOptions options)
        {
            this.loaded = loaded;
            this.options = options;
            Search = loaded.Config.Search ?? throw new ConfigException(loaded.File, 0, 0, "search", "the config has no search: section (strategy, trials, space)");
            if (Search.Space.Count == 0) throw new ConfigException(loaded.File, 0, 0, "search.space", "the search space is empty");
            Backend = options.Backend ?? Search.Backend;
            Workers = options.WorkerCommand != null || Backend == SearchBackend.Slurm ? Search.Workers : 1;
            if (Search.Workers > 1 && options.WorkerCommand == null)
                options.Log?.Invoke($"note: workers {Search.Workers} requested but no worker command given; trials run one at a time in this process");
        }

        public SearchConfig Search { get; }
        public SearchBackend Backend { get; }
        private int Workers { get; }
        private ExperimentConfig Config => loaded.Config;
        private bool Maximize => Search.Mode == MonitorMode.Max;
        private string JobsPath => Path.Combine(dir, RunLayout.SweepJobsJsonl);

        /// <summary>The sweep folder (new, or the one resumed), its trials (drawn once, then read back) and the jobs
        /// already finished.</summary>
        public void OpenFolder()
        {
            dir = options.ResumeDir ?? Path.Combine(Config.Output.Root, Config.Name,
                "sweep-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            var trialsPath = Path.Combine(dir, RunLayout.SweepTrialsJson);
            if (File.Exists(trialsPath))
                trials = JsonSerializer.Deserialize<List<Dictionary<string, string>>>(File.ReadAllText(trialsPath))!;
            else
            {
                trials = Search.Strategy == SearchStrategy.Grid ? SearchSpace.Grid(Search.Space) : SearchSpace.Random(Search.Space, Search.Trials, Config.Seed);
                AtomicFile.WriteAllText(trialsPath, JsonSerializer.Serialize(trials, new JsonSerializerOptions { WriteIndented = true }));
            }
            done = File.Exists(JobsPath)
                ? File.ReadAllLines(JobsPath).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Job>(l)!).ToList()
                : [];
        }

        /// <summary>ASHA: fill free workers with whatever it offers now, then wait for one job to report.</summary>
        public void RunAsha()
        {
            var asha = NewAsha();
            foreach (var j in done) asha.Report(j.Trial, j.Rung, j.Metric);
            var running = new List<Task<Job>>();
            while (true)
            {
                while (running.Count < Workers && Budget(running.Count) && asha.Next() is { } next)
                    running.Add(Task.Run(() => RunJob(next.Trial, next.Rung, next.Epochs)));
                if (running.Count == 0) break;
                var finished = Task.WhenAny(running).GetAwaiter().GetResult();
                running.Remove(finished);
                var job = finished.GetAwaiter().GetResult();
                asha.Report(job.Trial, job.Rung, job.Metric);
            }
        }

        /// <summary>Grid and random: every trial not yet finished, to the configured epochs, on the workers.</summary>
        public void RunEveryTrial()
        {
            var todo = Enumerable.Range(0, trials.Count).Where(t => !done.Any(j => j.Trial == t)).ToList();
            if (options.StopAfterJobs is { } n) todo = todo.Take(n).ToList();
            Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = Workers }, t => RunJob(t, 0, Config.Training.Epochs));
        }

        private Asha NewAsha() => new(trials.Count, Search.MinEpochs, Config.Training.Epochs, Search.ReductionFactor, Maximize);

        private bool Budget(int inFlight) => options.StopAfterJobs is not { } n || ran + inFlight < n;

        private ConfigLoader.Loaded TrialConfig(int trial, int epochs)
        {
            var sets = trials[trial].Select(kv => $"{kv.Key}={kv.Value}").Append($"training.epochs={epochs}").ToList();
            return ConfigLoader.FromText(File.ReadAllText(loaded.File), loaded.File, sets);
        }

        private string RunDirOf(int trial) => Path.Combine(dir, RunLayout.SweepTrialsDir, $"trial-{trial:D3}");

        /// <summary>The trial's config as the file a worker process or a cluster task trains.</summary>
        private string WriteTrialConfig(int trial, int rung, int epochs)
        {
            Directory.CreateDirectory(RunDirOf(trial));
            var configFile = Path.Combine(dir, RunLayout.SweepTrialsDir, $"trial-{trial:D3}.rung{rung}.yaml");
            AtomicFile.WriteAllText(configFile, TrialConfig(trial, epochs).ResolvedYaml());
            return configFile;
        }

        /// <summary>One job (a trial to some epochs): in this process, or in a child process per job when workers run
        /// in parallel (libtorch's thread pool and random generator are per process).</summary>
        private Job RunJob(int trial, int rung, int epochs)
        {
            var trialConfig = TrialConfig(trial, epochs);
            var runDir = RunDirOf(trial);
            options.Log?.Invoke($"trial {trial} (rung {rung}, {epochs} epochs): {string.Join(", ", trials[trial].Select(kv => $"{kv.Key}={kv.Value}"))}");
            if (options.WorkerCommand is { } command && Workers > 1)
            {
                var configFile = WriteTrialConfig(trial, rung, epochs);
                using var p = System.Diagnostics.Process.Start(command(configFile, runDir))!;
                var stderr = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0) throw new InvalidOperationException($"trial {trial} failed (exit {p.ExitCode}): {stderr.Result.Trim()}");
            }
            else
            {
                ExperimentRunner.Run(trialConfig, new RunOptions { RunDir = runDir, BootstrapSamples = 0 });
            }
            return RecordJob(trial, rung, epochs);
        }

        /// <summary>A finished job's metric (the best of its history column) appended to jobs.jsonl.</summary>
        private Job RecordJob(int trial, int rung, int epochs, bool failed = false)
        {
            var values = failed ? [] : ReadHistory(RunFolder.At(RunDirOf(trial)).HistoryCsv, Search.Metric).Where(double.IsFinite).ToList();
            var metric = values.Count == 0 ? double.NaN : Maximize ? values.Max() : values.Min();
            var job = new Job(trial, rung, epochs, metric);
            lock (gate)
            {
                if (!failed)
                {
                    File.AppendAllText(JobsPath, JsonSerializer.Serialize(job) + "\n");
                    done.Add(job);
                }
                ran++;
            }
            options.Log?.Invoke(failed ? $"trial {trial} (rung {rung}) failed" : $"trial {trial}: {Search.Metric} = {metric:F4}");
            return job;
        }

        /// <summary>The ranking (deepest rung each trial reached, then metric), best_config.yaml and the results.</summary>
        public SweepResult Finish()
        {
            var final = done.GroupBy(j => j.Trial).Select(g => g.OrderByDescending(j => j.Rung).First()).ToList();
            var ranked = final.OrderByDescending(j => j.Rung)
                .ThenBy(j => Maximize ? -Safe(j.Metric, Maximize) : Safe(j.Metric, Maximize)).ToList();
            var best = ranked.FirstOrDefault() ?? throw new InvalidOperationException($"{dir}: no trial has finished yet");
            var bestSets = trials[best.Trial].Select(kv => $"{kv.Key}={kv.Value}").ToList();
            var bestConfig = ConfigLoader.FromText(File.ReadAllText(loaded.File), loaded.File, bestSets, checkPaths: false).ResolvedYaml();
            var bestPath = Path.Combine(dir, RunLayout.SweepBestConfigYaml);
            AtomicFile.WriteAllText(bestPath, bestConfig);
            WriteResults(dir, trials, ranked, Search.Metric);
            return new SweepResult(dir, best.Trial, Search.Metric, best.Metric, bestPath, ran);
        }

        // ---------- search.backend: slurm ----------

        private SlurmRunner slurm = null!;
        private readonly Dictionary<string, int> epochsOf = [];
        private readonly List<string> failedTasks = [];
        private Asha? slurmAsha;
        private int jobsThisCall;

        private static string Key(int trial, int rung) => $"trial-{trial:D3}.rung{rung}";

        private static (int Trial, int Rung) Parse(string key) =>
            (int.Parse(key.AsSpan(6, 3), CultureInfo.InvariantCulture), int.Parse(key.AsSpan(key.IndexOf(".rung", StringComparison.Ordinal) + 5), CultureInfo.InvariantCulture));

        /// <summary>search.backend: slurm. Grid and random: the trials not yet finished (nor still in flight from an
        /// earlier controller) go out as one job array, at most search.workers running at once. ASHA: whatever ASHA
        /// offers while fewer than search.workers tasks are in flight goes out as one array; each finished task's metric
        /// comes from its run folder's history.csv (the folders are shared with the cluster), and promotions follow. The
        /// controller can be killed at any time: --resume re-attaches to the tasks still queued or running
        /// (slurm/submitted.jsonl), keeps the finished ones (jobs.jsonl), and runs no trial twice.</summary>
        public SweepResult RunOnSlurm()
        {
            slurm = new SlurmRunner(Path.Combine(dir, "slurm"), Search.Slurm, options.TrainCommand ?? [], Workers, options.Log);
            var inFlight = slurm.InFlight.Select(t => Parse(t.Key)).ToHashSet();
            if (inFlight.Count > 0) options.Log?.Invoke($"slurm: re-attaching to {inFlight.Count} task(s) submitted before: {string.Join(", ", slurm.InFlight.Select(t => t.Key))}");
            if (options.EmitOnly) return EmitOnly();
            if (Search.Strategy == SearchStrategy.Asha) RunAshaOnSlurm(inFlight);
            else RunEveryTrialOnSlurm(inFlight);
            if (failedTasks.Count > 0) options.Log?.Invoke($"slurm: {failedTasks.Count} task(s) failed on every attempt (slurm/failed.json):\n  {string.Join("\n  ", failedTasks)}");
            if (done.Count == 0) throw new InvalidOperationException($"{dir}: no trial finished on the cluster; see {slurm.FailedPath}");
            return Finish() with { Failed = failedTasks };
        }

        private SlurmTask SlurmTaskOf(int trial, int rung, int epochs)
        {
            epochsOf[Key(trial, rung)] = epochs;
            return new SlurmTask(Key(trial, rung), WriteTrialConfig(trial, rung, epochs), RunDirOf(trial));
        }

        /// <summary>--emit-only: the trial configs and the sbatch script (ASHA: rung 0 of every trial), nothing submitted.</summary>
        private SweepResult EmitOnly()
        {
            var epochs = Search.Strategy == SearchStrategy.Asha ? NewAsha().EpochsAt(0) : Config.Training.Epochs;
            var tasks = Enumerable.Range(0, trials.Count).Select(t => SlurmTaskOf(t, 0, epochs)).ToList();
            var script = slurm.Emit(tasks, "sweep.sbatch");
            options.Log?.Invoke(Search.Strategy == SearchStrategy.Asha
                ? $"wrote {script}: rung 0 of {tasks.Count} trials (ASHA's promotions need the controller: run sweep without --emit-only for them)"
                : $"wrote {script}: {tasks.Count} trials");
            return new SweepResult(dir, -1, Search.Metric, double.NaN, "", 0) { EmittedScript = script };
        }

        private void RunAshaOnSlurm(HashSet<(int Trial, int Rung)> inFlight)
        {
            var asha = slurmAsha = NewAsha();
            foreach (var j in done) asha.Report(j.Trial, j.Rung, j.Metric);
            foreach (var (trial, rung) in inFlight) asha.Resume(trial, rung);
            while (true)
            {
                var batch = new List<SlurmTask>();
                while (slurm.InFlightCount + batch.Count < Workers && (options.StopAfterJobs is not { } n || jobsThisCall < n) && asha.Next() is { } next)
                {
                    batch.Add(SlurmTaskOf(next.Trial, next.Rung, next.Epochs));
                    jobsThisCall++;
                }
                slurm.Submit(batch);
                if (slurm.InFlightCount == 0) break;
                var outcomes = slurm.Poll();
                foreach (var o in outcomes)
                {
                    Handle(o);
                    slurm.Acknowledge(o);
                }
                if (outcomes.Count == 0) Thread.Sleep(TimeSpan.FromSeconds(Search.Slurm.PollSeconds));
            }
        }

        private void RunEveryTrialOnSlurm(HashSet<(int Trial, int Rung)> inFlight)
        {
            var todo = Enumerable.Range(0, trials.Count).Where(t => !done.Any(j => j.Trial == t) && !inFlight.Contains((t, 0))).ToList();
            if (options.StopAfterJobs is { } n) todo = todo.Take(n).ToList();
            slurm.Submit(todo.Select(t => SlurmTaskOf(t, 0, Config.Training.Epochs)).ToList());
            slurm.WaitAll(Handle);
        }

        /// <summary>A finished cluster task: its job recorded (or its failure listed), ASHA told.</summary>
        private void Handle(SlurmOutcome o)
        {
            var (trial, rung) = Parse(o.Task.Key);
            var epochs = epochsOf.TryGetValue(o.Task.Key, out var e) ? e : TrialEpochs(o.Task.ConfigFile);
            var job = RecordJob(trial, rung, epochs, !o.Succeeded);
            if (!o.Succeeded) failedTasks.Add($"{o.Task.Key}: {o.Detail} after {o.Attempts} attempt(s), log {o.Log}");
            slurmAsha?.Report(job.Trial, job.Rung, job.Metric);
        }
    }

    private static int TrialEpochs(string configFile) => ConfigLoader.Load(configFile, checkPaths: false).Config.Training.Epochs;

    /// <summary>One column of a run's history.csv (written by HistoryLogger), by metric name.</summary>
    private static IEnumerable<double> ReadHistory(string path, string metric)
    {
        var lines = File.ReadAllLines(path);
        var column = Array.IndexOf(lines[0].Split(','), metric);
        if (column < 0) throw new ArgumentException($"search.metric '{metric}' is not a history column ({lines[0]})");
        return lines.Skip(1).Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture));
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
        AtomicFile.WriteAllText(Path.Combine(dir, RunLayout.SweepResultsCsv), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(dir, RunLayout.SweepResultsHtml), html.Append("</table></body></html>").ToString());
    }
}
