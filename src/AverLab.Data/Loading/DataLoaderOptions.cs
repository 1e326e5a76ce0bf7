namespace AverLab.Data.Loading;

/// <summary>Loader settings. <see cref="Augment"/> runs only on a loader created for the training split (the
/// loader refuses it otherwise); it gets a System.Random seeded from (Seed, epoch, example index), so augmented data
/// is identical run to run whatever the thread timing.</summary>
public sealed record DataLoaderOptions
{
    public int BatchSize { get; init; } = 32;
    public bool Shuffle { get; init; } = true;
    public int Seed { get; init; }
    public bool DropLast { get; init; }
    /// <summary>Batches prepared ahead on the background thread (0 = collate on the caller's thread).</summary>
    public int Prefetch { get; init; } = 2;
    public Func<Example, Random, Example>? Augment { get; init; }
    /// <summary>Data-parallel training: this loader serves part Index of Count of every batch (a contiguous run of
    /// the batch's examples; the first BatchSize % Count parts get one more), so ranks see disjoint shards of the same
    /// global batches in the same order. A final batch smaller than Count is dropped (some rank would get nothing).
    /// Each batch's <see cref="Batch.GlobalSize"/> is the whole batch's size.</summary>
    public (int Index, int Count)? Shard { get; init; }
}
