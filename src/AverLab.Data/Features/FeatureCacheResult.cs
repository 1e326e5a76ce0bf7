using AverLab.Data.Corpora;

namespace AverLab.Data.Features;

/// <summary>What one fill did: items computed now, items already cached, and the items that failed (with reasons,
/// also written to the cache folder's failures.json).</summary>
public sealed record FeatureCacheResult(int Computed, int Reused, IReadOnlyList<SkippedItem> Failed)
{
    public int Total => Computed + Reused + Failed.Count;
}
