namespace AverLab.Data.Features;

/// <summary>A progress report from <see cref="FeatureCache.Fill"/>: items done (computed, reused or failed) of the
/// total, throughput of computed items, and the estimated time left.</summary>
public sealed record FeatureCacheProgress(int Done, int Total, int Computed, int Failed, double ItemsPerSecond, TimeSpan? Eta);
