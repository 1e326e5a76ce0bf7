namespace AverLab.Runs;

/// <summary>The names inside a run folder (<c>experiments/&lt;name&gt;/&lt;timestamp&gt;-&lt;hash&gt;/</c>), a model
/// package, a sweep folder and a cross-validation folder, relative to that folder. The one place they are spelled:
/// <see cref="RunFolder"/> joins them to a path.</summary>
public static class RunLayout
{
    /// <summary>The resolved config the run trained (its presence makes a folder a run).</summary>
    public const string ConfigYaml = "config.yaml";
    /// <summary>Where and how the run ran: seed, commit, versions, threads, data hash, split sizes, pipeline.</summary>
    public const string RunJson = "run.json";
    /// <summary>Test metrics and training summary (<see cref="MetricsRecord"/>).</summary>
    public const string MetricsJson = "metrics.json";
    /// <summary>The model card: what inference needs to rebuild the model and its front end.</summary>
    public const string ModelJson = "model.json";
    /// <summary>The split manifest: which item is in which split.</summary>
    public const string SplitJson = "split.json";
    /// <summary>Items the reader skipped and labels it dropped.</summary>
    public const string SkippedJson = "skipped.json";
    public const string HistoryCsv = "history.csv";
    public const string HistoryJsonl = "history.jsonl";
    public const string ReportHtml = "report.html";
    /// <summary>The full stack of a run that failed (the console gets one line).</summary>
    public const string ErrorLog = "error.log";
    public const string CheckpointsDir = "checkpoints";
    /// <summary>File names inside <see cref="CheckpointsDir"/>.</summary>
    public const string BestCheckpointName = "best.safetensors", LastCheckpointName = "last.safetensors";
    public const string BestCheckpoint = CheckpointsDir + "/" + BestCheckpointName;
    public const string LastCheckpoint = CheckpointsDir + "/" + LastCheckpointName;
    /// <summary>A classical (ML.NET) run's one model.</summary>
    public const string ClassicalCheckpoint = CheckpointsDir + "/model.zip";
    /// <summary>The report's figures, each as PNG and SVG.</summary>
    public const string PlotsDir = "plots";
    public const string ExplanationsDir = "explanations";
    /// <summary>Inside <see cref="ExplanationsDir"/>.</summary>
    public const string ExplanationsJson = "explanations.json";
    /// <summary>Cross-corpus evaluations of a finished run or package.</summary>
    public const string EvaluationsDir = "evaluations";

    // A model package (models/<name>/): a finished run made self-contained for inference.
    /// <summary>Source run, commit, date, precision, size; its presence makes a folder a package.</summary>
    public const string PackageJson = "package.json";
    /// <summary>The package's model weights (the best checkpoint without optimizer state).</summary>
    public const string PackageWeights = "weights.safetensors";
    public const string PackageReadme = "README.md";

    // A sweep folder (experiments/<name>/sweep-<timestamp>/).
    public const string SweepTrialsJson = "trials.json";
    public const string SweepJobsJsonl = "jobs.jsonl";
    public const string SweepResultsCsv = "results.csv";
    public const string SweepResultsHtml = "results.html";
    public const string SweepBestConfigYaml = "best_config.yaml";
    public const string SweepTrialsDir = "trials";

    // A cross-validation folder (experiments/<name>/cv-<timestamp>/).
    public const string CvJson = "cv.json";

    // A nested cross-validation folder (experiments/<name>/nested-cv-<timestamp>/): the outer estimate as a cv folder
    // (cv.json, ...) plus each outer fold's choice and the inner scores behind it.
    public const string NestedCvJson = "nested_cv.json";
    public const string NestedCvMarkdown = "nested_cv.md";
}
