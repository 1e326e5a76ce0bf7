using System.Globalization;
using System.Text.Json.Nodes;
using AverLab.IO;
using AverLab.Training.Cluster;
using AverLab.Training.Configuration;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>Options of a cross-validation beyond its config.</summary>
public sealed record CrossValidationOptions
{
    public Action<string>? Log { get; init; }
    /// <summary>Continue the cv in this folder: folds that finished (a metrics.json in fold-k/) are kept.</summary>
    public string? ResumeDir { get; init; }
    /// <summary>Overrides search.backend (the CLI's --backend).</summary>
    public SearchBackend? Backend { get; init; }
    /// <summary>Backend slurm: the training command each task runs (see SweepOptions.TrainCommand).</summary>
    public IReadOnlyList<string>? TrainCommand { get; init; }
    /// <summary>Backend slurm: write the fold configs and the sbatch script (cv.sbatch), submit nothing.</summary>
    public bool EmitOnly { get; init; }
    /// <summary>How folds are drawn (the split protocol the config was given for it: speaker_kfold or stratified_kfold).</summary>
    public CrossValidation.Protocol Protocol { get; init; } = CrossValidation.Protocol.Speaker;
}

/// <summary>Where cv's folds train: one after another in this process (local), or as one Slurm job array (slurm),
/// each fold a normal run folder cv-dir/fold-k. Folds already finished are kept either way.</summary>
internal static class FoldDispatch
{
    public static List<CrossValidation.FoldResult>? Run(ConfigLoader.Loaded loaded, string cvDir, CrossValidationOptions options)
    {
        var log = options.Log;
        var k = loaded.Config.Data.Split.Folds;
        string RunDir(int f) => Path.Combine(cvDir, $"fold-{f}");
        var folds = new List<CrossValidation.FoldResult>();
        var backend = options.Backend ?? loaded.Config.Search?.Backend ?? SearchBackend.Local;
        if (backend == SearchBackend.Local)
        {
            for (var f = 0; f < k; f++)
            {
                if (Finished(f, RunDir(f)) is { } kept)
                {
                    folds.Add(kept);
                    log?.Invoke($"fold {f + 1}/{k}: finished before, kept");
                    continue;
                }
                log?.Invoke($"fold {f + 1}/{k}");
                var r = ExperimentRunner.Run(loaded, new RunOptions { Fold = f, RunDir = RunDir(f) });
                folds.Add(new CrossValidation.FoldResult(f, r.Folder.Path, r.Test.Accuracy, r.Test.MacroF1, r.Test.BalancedAccuracy, r.Test.Confusion) { Labels = r.Test.Labels });
                log?.Invoke($"fold {f + 1}: accuracy {r.Test.Accuracy:F4}, macro F1 {r.Test.MacroF1:F4}");
            }
            return folds;
        }

        var search = loaded.Config.Search ?? new SearchConfig();
        var runner = new SlurmRunner(Path.Combine(cvDir, "slurm"), search.Slurm, options.TrainCommand ?? [], search.Workers, log);
        // The resolved config (command-line overrides included) with the fold set: each fold's file trains as the local
        // fold would.
        var text = loaded.ResolvedYaml();
        SlurmTask Task(int f)
        {
            var configFile = Path.Combine(cvDir, "folds", $"fold-{f}.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(configFile)!);
            var fold = ConfigLoader.FromText(text, loaded.File, [$"data.split.fold={f}"]);
            AtomicFile.WriteAllText(configFile, fold.ResolvedYaml());
            return new SlurmTask($"fold-{f}", configFile, RunDir(f));
        }
        if (options.EmitOnly)
        {
            var script = runner.Emit([.. Enumerable.Range(0, k).Select(Task)], "cv.sbatch");
            log?.Invoke($"wrote {script}: {k} folds");
            return null;
        }
        var inFlight = runner.InFlight.Select(t => t.Key).ToHashSet();
        if (inFlight.Count > 0) log?.Invoke($"slurm: re-attaching to {string.Join(", ", inFlight)}");
        var todo = Enumerable.Range(0, k).Where(f => Finished(f, RunDir(f)) == null && !inFlight.Contains($"fold-{f}")).ToList();
        runner.Submit([.. todo.Select(Task)]);
        var failed = new List<string>();
        runner.WaitAll(o =>
        {
            if (o.Succeeded) log?.Invoke($"{o.Task.Key}: finished");
            else failed.Add($"{o.Task.Key}: {o.Detail} after {o.Attempts} attempt(s), log {o.Log}");
        });
        for (var f = 0; f < k; f++)
        {
            if (Finished(f, RunDir(f)) is not { } m)
            {
                if (!failed.Any(x => x.StartsWith($"fold-{f}:", StringComparison.Ordinal))) failed.Add($"fold-{f}: no {RunLayout.MetricsJson} in {RunDir(f)}");
                continue;
            }
            folds.Add(m);
            log?.Invoke($"fold {f + 1}: accuracy {m.Accuracy:F4}, macro F1 {m.MacroF1:F4}");
        }
        // A mean over some of the folds is not a k-fold estimate: say which failed; --resume runs them again.
        if (failed.Count > 0)
            throw new InvalidOperationException($"{cvDir}: {failed.Count} of {k} folds failed on the cluster ({string.Join("; ", failed)}); fix the cause and continue with cv --resume {cvDir}");
        return folds;
    }

    /// <summary>A finished fold read back from its metrics.json (test metrics, labels and confusion matrix).</summary>
    internal static CrossValidation.FoldResult? Finished(int fold, string runDir)
    {
        if (RunFolder.At(runDir).ReadMetrics()?.Test is not { } test) return null;
        var labels = test.Labels;
        var confusion = new long[labels.Length, labels.Length];
        for (var i = 0; i < labels.Length && i < test.Confusion.Length; i++)
            for (var j = 0; j < labels.Length; j++) confusion[i, j] = test.Confusion[i][j];
        return new CrossValidation.FoldResult(fold, runDir, test.Accuracy ?? double.NaN, test.MacroF1 ?? double.NaN, test.BalancedAccuracy ?? double.NaN, confusion) { Labels = labels };
    }
}
