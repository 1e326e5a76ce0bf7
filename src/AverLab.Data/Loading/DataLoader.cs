using System.Collections;
using System.Collections.Concurrent;

namespace AverLab.Data.Loading;

/// <summary>Batches a dataset (torch.utils.data.DataLoader). Each enumeration is one epoch: the order is a
/// permutation drawn from System.Random(seed, epoch), so epoch e has the same order in every run. With
/// <see cref="DataLoaderOptions.Prefetch"/> &gt; 0 a background thread reads, augments and collates up to that many
/// batches ahead into a bounded queue, so the training loop does not wait on data. Every yielded
/// <see cref="Batch"/> belongs to the caller, who disposes it; batches still queued when an epoch is abandoned are
/// disposed by the loader.</summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    private readonly IDataset dataset;
    private int epoch;

    public DataLoader(IDataset dataset, DataLoaderOptions options, SplitRole role = SplitRole.Train)
    {
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "BatchSize must be >= 1");
        if (options.Prefetch < 0) throw new ArgumentOutOfRangeException(nameof(options), "Prefetch must be >= 0");
        if (options.Shard is { } shard && (shard.Count < 1 || shard.Index < 0 || shard.Index >= shard.Count || shard.Count > options.BatchSize))
            throw new ArgumentOutOfRangeException(nameof(options), $"Shard {shard.Index} of {shard.Count} is not a part of batches of {options.BatchSize}");
        if (options.Augment != null && role != SplitRole.Train)
            throw new ArgumentException($"augmentation is for the training split only, but this loader serves {role}");
        this.dataset = dataset;
        Options = options;
        Role = role;
    }

    public DataLoaderOptions Options { get; }
    public SplitRole Role { get; }
    /// <summary>The epoch the next enumeration will serve (starts at 0; set it to resume).</summary>
    public int Epoch { get => epoch; set => epoch = value; }
    public int BatchCount => Options.DropLast || (Options.Shard is { } s && dataset.Count % Options.BatchSize is > 0 and var r && r < s.Count)
        ? dataset.Count / Options.BatchSize : (dataset.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>The example order of an epoch.</summary>
    public int[] Order(int epochIndex)
    {
        var order = Enumerable.Range(0, dataset.Count).ToArray();
        if (Options.Shuffle) new Random(Mix(Options.Seed, epochIndex, -1)).Shuffle(order);
        return order;
    }

    public IEnumerator<Batch> GetEnumerator()
    {
        var e = epoch++;
        var order = Order(e);
        var globalSizes = new Dictionary<int, int>();
        var batches = new List<int[]>();
        for (var s = 0; s < order.Length; s += Options.BatchSize)
        {
            var n = Math.Min(Options.BatchSize, order.Length - s);
            if (n < Options.BatchSize && Options.DropLast) break;
            if (Options.Shard is { } shard)
            {
                if (n < shard.Count) break;
                var (start, length) = ShardRange(n, shard.Index, shard.Count);
                batches.Add(order.AsSpan(s + start, length).ToArray());
                globalSizes[batches.Count - 1] = n;
                continue;
            }
            batches.Add(order.AsSpan(s, n).ToArray());
        }
        var served = Options.Prefetch == 0 ? Serial(batches, e) : Enumerate(Prefetched(batches, e));
        return Options.Shard == null ? served.GetEnumerator() : WithGlobalSizes(served, globalSizes).GetEnumerator();
    }

    /// <summary>Part <paramref name="index"/> of <paramref name="count"/> of a batch of n: (start, length).</summary>
    public static (int Start, int Length) ShardRange(int n, int index, int count)
    {
        var size = n / count;
        var extra = n % count;
        return (index * size + Math.Min(index, extra), size + (index < extra ? 1 : 0));
    }

    private static IEnumerable<Batch> Enumerate(IEnumerator<Batch> e)
    {
        using (e)
            while (e.MoveNext()) yield return e.Current;
    }

    private static IEnumerable<Batch> WithGlobalSizes(IEnumerable<Batch> batches, Dictionary<int, int> sizes)
    {
        var i = 0;
        foreach (var b in batches)
        {
            b.GlobalSize = sizes[i++];
            yield return b;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<Batch> Serial(List<int[]> batches, int e)
    {
        foreach (var idx in batches) yield return Make(idx, e);
    }

    private Batch Make(int[] indices, int e)
    {
        var examples = new Example[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var ex = dataset.Get(indices[i]);
            if (Options.Augment != null) ex = Options.Augment(ex, new Random(Mix(Options.Seed, e, indices[i])));
            examples[i] = ex;
        }
        return Collate.Pad(examples, indices);
    }

    // Not HashCode.Combine: it is randomized per process. A fixed splitmix-style mix keeps orders stable across runs.
    private static int Mix(int seed, int epochIndex, int index)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)epochIndex * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)index * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    private IEnumerator<Batch> Prefetched(List<int[]> batches, int e)
    {
        using var queue = new BlockingCollection<Batch>(Options.Prefetch);
        using var stop = new CancellationTokenSource();
        Exception? error = null;
        var worker = new Thread(() =>
        {
            try
            {
                foreach (var idx in batches)
                {
                    var b = Make(idx, e);
                    try { queue.Add(b, stop.Token); }
                    catch (OperationCanceledException) { b.Dispose(); return; }
                }
            }
            catch (Exception ex) { error = ex; }
            finally { queue.CompleteAdding(); }
        }) { IsBackground = true, Name = "AverLab.DataLoader prefetch" };
        worker.Start();
        try
        {
            foreach (var b in queue.GetConsumingEnumerable()) yield return b;
            worker.Join();
            if (error != null) throw new InvalidOperationException($"data loading failed: {error.Message}", error);
        }
        finally
        {
            stop.Cancel();
            worker.Join();
            while (queue.TryTake(out var left)) left.Dispose();
        }
    }
}
