using System.Text.Json.Serialization;

namespace AverLab.Inference;

/// <summary>One emotion estimate: the winning class and the probability of every class (model output order).</summary>
public sealed record EmotionEstimate(string Emotion, IReadOnlyDictionary<string, double> Probabilities);

/// <summary>A span of the input with its estimate (audio windows, video frames, fused windows). Face-timeline entries
/// also carry the face that was classified (<see cref="Box"/>) and, when frames were asked for
/// (<see cref="AnalysisOptions.FramesDir"/>), the frame's image (<see cref="Frame"/>).</summary>
public sealed record TimelineEntry(double Start, double End, string Emotion, IReadOnlyDictionary<string, double> Probabilities,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FrameBox? Box = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Frame = null);

/// <summary>The face a video frame's estimate was made from: its box in pixels of the frame as decoded, and the frame's
/// size (so a page can draw the box over a scaled frame or over the player).</summary>
public sealed record FrameBox(int X, int Y, int Width, int Height, int FrameWidth, int FrameHeight);

/// <summary>A detected face in an image or frame: its box (pixels) and estimate.</summary>
public sealed record FaceResult(int X, int Y, int Width, int Height, string Emotion, IReadOnlyDictionary<string, double> Probabilities,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Heatmap = null);

/// <summary>One explanation of one model's estimate: a Grad-CAM heatmap of a convolutional stage over an audio window's
/// input (<see cref="Kind"/> "gradcam", <see cref="Image"/> the PNG), or Shapley values of a feature-vector model's
/// inputs (<see cref="Kind"/> "shapley", the largest <see cref="Attributions"/> by |φ|).</summary>
/// <param name="Model">The run (its model.json path; the web app names it).</param>
/// <param name="Target">The class explained (the window's winning emotion).</param>
/// <param name="Start">The window's span in seconds.</param>
/// <param name="Stage">Grad-CAM: the convolutional stage (conv2Dblock1, layer4, ...).</param>
/// <param name="Method">What was computed, in words (resolution, permutations, baseline).</param>
public sealed record Explanation(string Kind, string Model, string Target, double Start, double End, string Method,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Stage = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Image = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FeatureAttribution>? Attributions = null);

/// <summary>A feature's Shapley value for the explained class (probability units) and its sampling standard error.</summary>
public sealed record FeatureAttribution(string Feature, double Value, double StandardError);

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
    /// <summary>Explanations of audio windows' estimates (when asked for: <see cref="AnalysisOptions.ExplainDir"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public IReadOnlyList<Explanation>? Explanations { get; init; }
    /// <summary>Why there are no explanations (or fewer than asked for), when explanations were asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExplanationsNote { get; init; }
}
