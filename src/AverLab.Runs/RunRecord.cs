using System.Text.Json;
using System.Text.Json.Serialization;

namespace AverLab.Runs;

/// <summary>run.json: how a run was made — seed, source commit, library versions, threads, the data manifest's hash,
/// the split sizes and the data pipeline — written by the trainer when a run starts (<see cref="RunFolder.WriteRunJson"/>),
/// read by packaging, the web app and the notebooks. Property order is the file's order.</summary>
public sealed record RunRecord
{
    [JsonPropertyName("seed")] public long Seed { get; init; }
    /// <summary>HEAD of the checkout the config came from; "unknown (not a git checkout)" outside one. A resumed run
    /// keeps the commit it began on (the resumes' commits are in <see cref="ResumedGitCommit"/>).</summary>
    [JsonPropertyName("git_commit")] public string GitCommit { get; init; } = "unknown";
    /// <summary>Tracked files changed at the start; null when unknown.</summary>
    [JsonPropertyName("git_dirty")] public bool? GitDirty { get; init; }
    [JsonPropertyName("averlab")] public string AverLab { get; init; } = "unknown";
    [JsonPropertyName("torchsharp")] public string TorchSharp { get; init; } = "unknown";
    [JsonPropertyName("libtorch")] public string LibTorch { get; init; } = "unknown";
    [JsonPropertyName("dotnet")] public string DotNet { get; init; } = "unknown";
    [JsonPropertyName("os")] public string Os { get; init; } = "unknown";
    [JsonPropertyName("threads")] public int Threads { get; init; }
    [JsonPropertyName("mkl_dispatch")] public string? MklDispatch { get; init; }
    [JsonPropertyName("finalizer_guard")] public string? FinalizerGuard { get; init; }
    [JsonPropertyName("processors")] public int Processors { get; init; }
    /// <summary>SHA-256 of the data manifest (every file of the corpus the run read, with its size).</summary>
    [JsonPropertyName("data_manifest_sha256")] public string DataManifestSha256 { get; init; } = "";
    /// <summary>When the run began (ISO 8601, UTC); a resume keeps it and appends to <see cref="ResumedUtc"/>.</summary>
    [JsonPropertyName("started_utc")] public string StartedUtc { get; init; } = "";
    /// <summary>The trainer when it is not the neural one (for example "ML.NET 4.0.2").</summary>
    [JsonPropertyName("trainer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Trainer { get; init; }
    [JsonPropertyName("train_items"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TrainItems { get; init; }
    [JsonPropertyName("validation_items"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ValidationItems { get; init; }
    [JsonPropertyName("test_items"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TestItems { get; init; }
    /// <summary>Data-parallel training across processes.</summary>
    [JsonPropertyName("distributed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DistributedRecord? Distributed { get; init; }
    [JsonPropertyName("pca"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PcaRecord? Pca { get; init; }
    /// <summary>SMOTE oversampling of the training split, by class.</summary>
    [JsonPropertyName("smote"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, SmoteCount>? Smote { get; init; }
    [JsonPropertyName("resumed_utc"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? ResumedUtc { get; init; }
    [JsonPropertyName("resumed_git_commit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? ResumedGitCommit { get; init; }
    /// <summary>Keys this version does not know (a newer writer's), kept so that a resume does not drop them.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Other { get; set; }

    /// <summary>"sha (dirty)" or the bare commit: how reports name the source of a run.</summary>
    [JsonIgnore] public string CommitLabel => GitDirty == true ? $"{GitCommit} (dirty)" : GitCommit;

    /// <summary>This record as the continuation of <paramref name="earlier"/> (the same folder's run.json from the
    /// first start): the first start time, commit and dirty flag stay; this start and its commit are appended.</summary>
    public RunRecord ResumingFrom(RunRecord earlier) => this with
    {
        StartedUtc = earlier.StartedUtc,
        GitCommit = earlier.GitCommit,
        GitDirty = earlier.GitDirty,
        ResumedUtc = [.. earlier.ResumedUtc ?? [], StartedUtc],
        ResumedGitCommit = [.. earlier.ResumedGitCommit ?? [], GitCommit],
    };

    /// <summary>The record at <paramref name="path"/>; null when there is no such file.</summary>
    /// <exception cref="InvalidDataException">The file is not a run record (names the file and the problem).</exception>
    public static RunRecord? Read(string path) => RecordFile.Read<RunRecord>(path, "run record");
}

public sealed record DistributedRecord
{
    [JsonPropertyName("backend")] public string Backend { get; init; } = "mpi";
    [JsonPropertyName("ranks")] public int Ranks { get; init; }
    [JsonPropertyName("bucket_mb")] public double BucketMb { get; init; }
}

public sealed record PcaRecord
{
    [JsonPropertyName("inputs")] public int Inputs { get; init; }
    [JsonPropertyName("components")] public int Components { get; init; }
    [JsonPropertyName("explained_variance")] public double ExplainedVariance { get; init; }
}

public sealed record SmoteCount
{
    [JsonPropertyName("train")] public int Train { get; init; }
    [JsonPropertyName("synthetic")] public int Synthetic { get; init; }
}
