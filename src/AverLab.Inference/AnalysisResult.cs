using System.Text.Json.Serialization;

namespace AverLab.Inference;

/// <summary>One emotion estimate: the winning class and the probability of every class (model output order).</summary>
public sealed record EmotionEstimate(string Emotion, IReadOnlyDictionary<string, double> Probabilities);

/// <summary>A span of the input with its estimate (audio windows, video frames, fused windows).</summary>
public sealed record TimelineEntry(double Start, double End, string Emotion, IReadOnlyDictionary<string, double> Probabilities);

/// <summary>A detected face in an image or frame: its box (pixels) and estimate.</summary>
public sealed record FaceResult(int X, int Y, int Width, int Height, string Emotion, IReadOnlyDictionary<string, double> Probabilities,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Heatmap = null);

/// <summary>The JSON written per file (schema: src/Predict/result.schema.json).</summary>
public sealed record AnalysisResult
{
    public required string File { get; init; }
    public required string Mode { get; init; }
    public double? Duration { get; init; }
    public EmotionEstimate? Overall { get; init; }
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];
    public IReadOnlyList<TimelineEntry> AudioTimeline { get; init; } = [];
    public IReadOnlyList<TimelineEntry> FaceTimeline { get; init; } = [];
    public IReadOnlyList<FaceResult> Faces { get; init; } = [];
    public bool NoFace { get; init; }
    public IReadOnlyList<string> Models { get; init; } = [];
}
