using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AverLab.IO;
using AverLab.Training.Configuration;

namespace AverLab.Training.Cluster;

/// <summary>One unit of work for the cluster: train this config into this run folder (a sweep trial at a rung, a cv
/// fold). The key names it in the runner's records and must be unique within a runner's folder.</summary>
public sealed record SlurmTask(string Key, string ConfigFile, string RunDir);

/// <summary>How a task ended: succeeded, or failed after <paramref name="Attempts"/> attempts (the detail says how the
/// last one ended, the log is its output).</summary>
public sealed record SlurmOutcome(SlurmTask Task, bool Succeeded, int Attempts, string Detail, string Log);

/// <summary>Runs training tasks as Slurm job arrays and follows them: one `sbatch --array` per batch of tasks (each
/// array task runs the training command with --config/--run-dir), `squeue` for what is still queued or running, and a
/// status file each task writes with its exit code when it ends (a task that left the queue without one was killed:
/// time limit, cancel, node failure; `scontrol` says how). Everything is recorded under the runner's folder
/// (submitted.jsonl, outcomes.jsonl, arrays/, logs/, status/), so a controller that was killed and started again
/// re-attaches to the tasks still in flight instead of submitting them again. A failed task is submitted again up to
/// <see cref="SlurmConfig.Retries"/> times (its run folder continues from its last checkpoint), then reported.</summary>
public sealed class SlurmRunner
{
    private sealed record Submitted(string Key, string Config, string RunDir, int Attempt, string Job, int Index);
    private sealed record Outcome(string Key, int Attempt, bool Ok, bool Final, string Detail);

    private readonly string folder;
    private readonly SlurmConfig config;
    private readonly string command;
    private readonly Action<string>? log;
    private readonly Dictionary<string, Submitted> inFlight = [];
    private readonly List<(SlurmTask Task, int Attempt)> retryQueue = [];
    private readonly int throttle;

    /// <param name="folder">The runner's records (a sweep's or cv's slurm/ folder); read back when it exists.</param>
    /// <param name="trainCommand">The training command line before --config/--run-dir (search.slurm.command when set,
    /// else this program as it was started).</param>
    /// <param name="throttle">Most array tasks running at once (search.workers).</param>
    public SlurmRunner(string folder, SlurmConfig config, IReadOnlyList<string> trainCommand, int throttle, Action<string>? log = null)
    {
        this.folder = Path.GetFullPath(folder);
        this.config = config;
        this.log = log;
        this.throttle = Math.Max(1, throttle);
        command = config.Command.Length > 0 ? config.Command : string.Join(" ", trainCommand.Select(Quote));
        foreach (var sub in new[] { "arrays", "logs", "status" }) Directory.CreateDirectory(Path.Combine(this.folder, sub));
        Load();
    }

    public string SubmittedPath => Path.Combine(folder, "submitted.jsonl");
    public string OutcomesPath => Path.Combine(folder, "outcomes.jsonl");
    public string FailedPath => Path.Combine(folder, "failed.json");

    /// <summary>Tasks submitted and not yet acknowledged (queued, running, or ended but not yet polled), and failed
    /// tasks waiting to be submitted again.</summary>
    public IReadOnlyList<SlurmTask> InFlight =>
        [.. inFlight.Values.Select(s => new SlurmTask(s.Key, s.Config, s.RunDir)), .. retryQueue.Select(r => r.Task)];

    public int InFlightCount => inFlight.Count + retryQueue.Count;

    private void Load()
    {
        if (File.Exists(SubmittedPath))
            foreach (var line in File.ReadAllLines(SubmittedPath).Where(l => l.Length > 0))
            {
                var s = JsonSerializer.Deserialize<Submitted>(line)!;
                inFlight[s.Key] = s; // a later attempt replaces an earlier one
            }
        if (!File.Exists(OutcomesPath)) return;
        foreach (var line in File.ReadAllLines(OutcomesPath).Where(l => l.Length > 0))
        {
            var o = JsonSerializer.Deserialize<Outcome>(line)!;
            if (!inFlight.TryGetValue(o.Key, out var s) || s.Attempt != o.Attempt) continue;
            inFlight.Remove(o.Key);
            // A failed attempt whose retry was not submitted yet (the controller died in between) is retried now.
            if (!o.Ok && !o.Final) retryQueue.Add((new SlurmTask(s.Key, s.Config, s.RunDir), s.Attempt + 1));
        }
    }

    /// <summary>Submits tasks as one job array (first attempts).</summary>
    public void Submit(IReadOnlyList<SlurmTask> tasks)
    {
        if (tasks.Count == 0) return;
        var attempts = tasks.Select(t => (t, Attempt: NextAttempt(t.Key))).ToList();
        SubmitArray(attempts);
    }

    private int NextAttempt(string key)
    {
        // A task submitted before (and reported failed for good) starts a fresh round of attempts with higher numbers,
        // so its status files never collide with the old ones.
        if (!File.Exists(SubmittedPath)) return 1;
        var last = File.ReadAllLines(SubmittedPath).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Submitted>(l)!)
            .Where(s => s.Key == key).Select(s => s.Attempt).DefaultIfEmpty(0).Max();
        return last + 1;
    }

    private void SubmitArray(IReadOnlyList<(SlurmTask Task, int Attempt)> tasks)
    {
        var n = Directory.GetFiles(Path.Combine(folder, "arrays"), "array-*.sbatch").Length;
        var script = Path.Combine(folder, "arrays", $"array-{n:D3}.sbatch");
        AtomicFile.WriteAllText(script, Script(tasks, Environment.CurrentDirectory));
        var (code, stdout, stderr) = Execute("sbatch", ["--parsable", script]);
        if (code != 0) throw new InvalidOperationException($"{script}: sbatch failed (exit {code}): {stderr.Trim()}");
        var job = stdout.Trim().Split(';')[0];
        if (job.Length == 0 || !job.All(char.IsDigit)) throw new InvalidOperationException($"{script}: sbatch printed no job id ('{stdout.Trim()}')");
        var lines = new StringBuilder();
        for (var i = 0; i < tasks.Count; i++)
        {
            var s = new Submitted(tasks[i].Task.Key, tasks[i].Task.ConfigFile, tasks[i].Task.RunDir, tasks[i].Attempt, job, i);
            inFlight[s.Key] = s;
            lines.Append(JsonSerializer.Serialize(s)).Append('\n');
        }
        File.AppendAllText(SubmittedPath, lines.ToString());
        log?.Invoke($"slurm: job array {job} ({tasks.Count} task{(tasks.Count == 1 ? "" : "s")}: {string.Join(", ", tasks.Select(t => t.Attempt > 1 ? $"{t.Task.Key} (attempt {t.Attempt})" : t.Task.Key))})");
    }

    /// <summary>The sbatch script of one job array: resources from search.slurm, one case per array index, and a
    /// status file with the exit code written when the task ends. Also what --emit-only writes.</summary>
    public string Script(IReadOnlyList<(SlurmTask Task, int Attempt)> tasks, string workDir)
    {
        var status = Path.Combine(folder, "status");
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append("# Written by AverLab (search.backend: slurm): one array task per training run.\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={config.JobName}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{tasks.Count - 1}%{throttle}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --ntasks=1\n#SBATCH --cpus-per-task={config.CpusPerTask}\n");
        if (config.Memory.Length > 0) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={config.Memory}\n");
        if (config.Time.Length > 0) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={config.Time}\n");
        if (config.Partition.Length > 0) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={config.Partition}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --chdir={workDir}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(folder, "logs", "%A_%a.out")}\n");
        foreach (var extra in config.Extra) sb.Append("#SBATCH ").Append(extra).Append('\n');
        sb.Append("set -u\n");
        sb.Append(CultureInfo.InvariantCulture, $$"""
            run() {
              local key="$1" attempt="$2" config="$3" rundir="$4" rc=0
              echo "averlab: $key attempt $attempt on $(hostname) (job ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID:-?})"
              (
            {{string.Concat(config.Setup.Select(l => "    " + l + "\n"))}}    exec {{command}} --config "$config" --run-dir "$rundir" --set training.threads={{config.CpusPerTask}}
              ) || rc=$?
              echo "$rc" > {{Quote(status)}}/"$key.$attempt.exit.tmp" && mv -f {{Quote(status)}}/"$key.$attempt.exit.tmp" {{Quote(status)}}/"$key.$attempt.exit"
              exit "$rc"
            }
            case "${SLURM_ARRAY_TASK_ID:?not an array task}" in

            """);
        for (var i = 0; i < tasks.Count; i++)
        {
            var (t, attempt) = tasks[i];
            sb.Append(CultureInfo.InvariantCulture, $"  {i}) run {Quote(t.Key)} {attempt} {Quote(Path.GetFullPath(t.ConfigFile))} {Quote(Path.GetFullPath(t.RunDir))} ;;\n");
        }
        sb.Append("  *) echo \"averlab: no task for array index $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\nesac\n");
        return sb.ToString();
    }

    /// <summary>Writes the script for these tasks without submitting it (--emit-only); returns its path.</summary>
    public string Emit(IReadOnlyList<SlurmTask> tasks, string name)
    {
        var path = Path.Combine(folder, name);
        AtomicFile.WriteAllText(path, Script(tasks.Select(t => (t, 1)).ToList(), Environment.CurrentDirectory));
        return path;
    }

    /// <summary>One look at the cluster: submits pending retries, and returns the tasks that ended for good since the
    /// last look (succeeded, or failed with no retry left). A failed task with retries left is submitted again and not
    /// returned. The caller records each outcome, then calls <see cref="Acknowledge"/>; an outcome not acknowledged
    /// (the controller died in between) is returned again after a restart.</summary>
    public IReadOnlyList<SlurmOutcome> Poll()
    {
        var results = new List<SlurmOutcome>();
        if (inFlight.Count > 0)
        {
            var (code, stdout, stderr) = Execute("squeue", ["-h", "-r", "-o", "%i|%T"]);
            if (code != 0)
            {
                log?.Invoke($"slurm: squeue failed (exit {code}: {stderr.Trim()}); trying again at the next poll");
                return results;
            }
            var queued = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')[0].Trim()).ToHashSet();
            foreach (var s in inFlight.Values.ToList())
            {
                if (queued.Contains($"{s.Job}_{s.Index}") || (s.Index == 0 && queued.Contains(s.Job))) continue;
                var task = new SlurmTask(s.Key, s.Config, s.RunDir);
                var logFile = Path.Combine(folder, "logs", $"{s.Job}_{s.Index}.out");
                var statusFile = Path.Combine(folder, "status", $"{s.Key}.{s.Attempt}.exit");
                var (ok, detail) = File.Exists(statusFile)
                    ? File.ReadAllText(statusFile).Trim() is var rc && rc == "0" ? (true, "exit 0") : (false, $"exit {rc}")
                    : (false, $"left the queue without finishing ({JobState(s)})");
                if (ok)
                {
                    results.Add(new SlurmOutcome(task, true, s.Attempt, detail, logFile));
                    continue;
                }
                var final = s.Attempt > config.Retries;
                log?.Invoke($"slurm: {s.Key} attempt {s.Attempt} failed: {detail}{(final ? "" : "; submitting it again")} (log {logFile})");
                if (final)
                {
                    results.Add(new SlurmOutcome(task, false, s.Attempt, detail, logFile));
                    continue;
                }
                Record(new Outcome(s.Key, s.Attempt, false, false, detail));
                inFlight.Remove(s.Key);
                retryQueue.Add((task, s.Attempt + 1));
            }
        }
        if (retryQueue.Count > 0)
        {
            var retries = retryQueue.ToList();
            retryQueue.Clear();
            SubmitArray(retries);
        }
        return results;
    }

    /// <summary>The caller has recorded this outcome: it leaves the runner's books (a final failure is added to
    /// failed.json).</summary>
    public void Acknowledge(SlurmOutcome outcome)
    {
        Record(new Outcome(outcome.Task.Key, outcome.Attempts, outcome.Succeeded, true, outcome.Detail));
        inFlight.Remove(outcome.Task.Key);
        if (outcome.Succeeded) return;
        var failed = File.Exists(FailedPath) ? JsonSerializer.Deserialize<List<Dictionary<string, string>>>(File.ReadAllText(FailedPath))! : [];
        failed.RemoveAll(f => f["key"] == outcome.Task.Key);
        failed.Add(new()
        {
            ["key"] = outcome.Task.Key, ["attempts"] = outcome.Attempts.ToString(CultureInfo.InvariantCulture), ["detail"] = outcome.Detail,
            ["log"] = outcome.Log, ["run_dir"] = outcome.Task.RunDir,
        });
        AtomicFile.WriteAllText(FailedPath, JsonSerializer.Serialize(failed, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Polls until every task in flight has ended for good, handing each outcome to <paramref name="record"/>
    /// and then acknowledging it.</summary>
    public void WaitAll(Action<SlurmOutcome> record)
    {
        while (InFlightCount > 0)
        {
            foreach (var o in Poll())
            {
                record(o);
                Acknowledge(o);
            }
            if (InFlightCount > 0) Thread.Sleep(TimeSpan.FromSeconds(config.PollSeconds));
        }
    }

    private void Record(Outcome o) => File.AppendAllText(OutcomesPath, JsonSerializer.Serialize(o) + "\n");

    private static string JobState(Submitted s)
    {
        var (code, stdout, _) = Execute("scontrol", ["show", "job", "-o", $"{s.Job}_{s.Index}"]);
        if (code != 0) return "state unknown: the controller no longer knows the job";
        var state = stdout.Split(' ').FirstOrDefault(w => w.StartsWith("JobState=", StringComparison.Ordinal));
        var reason = stdout.Split(' ').FirstOrDefault(w => w.StartsWith("Reason=", StringComparison.Ordinal));
        return string.Join(", ", new[] { state, reason }.Where(x => x != null));
    }

    /// <summary>Runs a Slurm client command; a missing command is a clear error.</summary>
    internal static (int Code, string Stdout, string Stderr) Execute(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output, err.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"search.backend: slurm needs Slurm's '{file}' on PATH (Debian: slurm-wlm; scripts/setup.sh installs it): {e.Message}", e);
        }
    }

    /// <summary>A word for the shell, single-quoted.</summary>
    public static string Quote(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or ',')
        ? s : "'" + s.Replace("'", "'\\''") + "'";
}
