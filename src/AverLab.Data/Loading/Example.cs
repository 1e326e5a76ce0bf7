using AverLab.Data.Features;

namespace AverLab.Data.Loading;

/// <summary>One example before collation: features (flat, with shape; the first dimension may vary between
/// examples) and a class index. <see cref="Extra"/> carries further inputs of a multi-input model (e.g. the face
/// frames beside the audio of the fusion model); each is stacked as is, so their shapes must agree across a batch.</summary>
public sealed record Example(float[] Data, long[] Shape, long Label)
{
    public long Length => Shape.Length == 0 ? 1 : Shape[0];

    public IReadOnlyList<FeatureArray> Extra { get; init; } = [];

    /// <summary>The item's speaker where the dataset knows it (per-speaker normalisation of augmented features).</summary>
    public string? Speaker { get; init; }
}
