namespace AverLab.Data.Features;

/// <summary>Settings of a cache fill.</summary>
public sealed record FeatureCacheOptions
{
    /// <summary>Items per shard file: each completed shard is written atomically, so a killed fill loses at most the
    /// shards in progress.</summary>
    public int ShardSize { get; init; } = 64;
    /// <summary>Worker threads (default: every core).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Minimum interval between progress reports.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
