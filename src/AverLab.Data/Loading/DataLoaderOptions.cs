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
}
