namespace AverLab.Web;

/// <summary>The states of an analysis: queued → running → done | failed.</summary>
public static class AnalysisStatus
{
    public const string Queued = "queued", Running = "running", Done = "done", Failed = "failed";
}

/// <summary>One analysis as stored: the upload (under a server-generated name), what was asked, and the outcome
/// (the result JSON in src/Predict's schema, or the reason it failed).</summary>
public sealed record AnalysisRecord
{
    public required string Id { get; init; }
    public required DateTime CreatedUtc { get; init; }
    public required string Status { get; init; }
    /// <summary>The client's file name, for display only (never used as a path).</summary>
    public required string FileName { get; init; }
    public required MediaKind Kind { get; init; }
    /// <summary>The stored upload's name under uploads/: the id and the sniffed extension.</summary>
    public required string StoredName { get; init; }
    public required string Mode { get; init; }
    /// <summary>Run ids chosen for this analysis (resolved when it was accepted).</summary>
    public required IReadOnlyList<string> Runs { get; init; }
    public string? ResultJson { get; init; }
    public string? Error { get; init; }
    public DateTime? FinishedUtc { get; init; }
}
