using AverLab.Data.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Data.Tests;

// In the "synthetic" collection so no other tensor-creating test runs beside it (Tensor.TotalCount is process-wide).
[Collection("synthetic")]
public sealed class DataLoaderTests
{
    /// <summary>Example i has length 1 + i % 5 and 3 features, each value = i (so batches reveal their indices).</summary>
    private static InMemoryDataset Variable(int n) => new(Enumerable.Range(0, n).Select(i =>
    {
        var t = 1 + i % 5;
        return new Example(Enumerable.Repeat((float)i, t * 3).ToArray(), [t, 3], i % 4);
    }).ToList());

    [Fact]
    public void CollatePadsWithLengthsAndMask()
    {
        var before = Tensor.TotalCount;
        using (var b = Collate.Pad([new Example([1, 1, 2, 2], [2, 2], 0), new Example([5, 5, 6, 6, 7, 7], [3, 2], 3)], [0, 1]))
        {
            Assert.Equal([2L, 3, 2], b.Inputs.shape);
            Assert.Equal([1f, 1, 2, 2, 0, 0, 5, 5, 6, 6, 7, 7], b.Inputs.data<float>().ToArray());
            Assert.Equal([2L, 3], b.Lengths.data<long>().ToArray());
            Assert.Equal([true, true, false, true, true, true], b.Mask.data<bool>().ToArray());
            Assert.Equal([0L, 3], b.Labels.data<long>().ToArray());
        }
        Assert.Equal(before, Tensor.TotalCount);
        Assert.Throws<ArgumentException>(() => Collate.Pad([new Example([1, 2], [1, 2], 0), new Example([1, 2, 3], [1, 3], 0)], [0, 1]));
    }

    [Fact]
    public void SeededShuffleIsTheSameEveryRunAndDiffersByEpoch()
    {
        var ds = Variable(50);
        var a = new DataLoader(ds, new DataLoaderOptions { BatchSize = 8, Seed = 42 });
        var b = new DataLoader(ds, new DataLoaderOptions { BatchSize = 8, Seed = 42 });
        Assert.Equal(a.Order(0), b.Order(0));
        Assert.NotEqual(a.Order(0), a.Order(1));
        Assert.NotEqual(a.Order(0), new DataLoader(ds, new DataLoaderOptions { Seed = 43 }).Order(0));
        Assert.Equal(Enumerable.Range(0, 50), new DataLoader(ds, new DataLoaderOptions { Shuffle = false }).Order(0));
        // The batches follow the order, across prefetch and serial modes alike.
        foreach (var prefetch in new[] { 0, 3 })
        {
            var loader = new DataLoader(ds, new DataLoaderOptions { BatchSize = 8, Seed = 42, Prefetch = prefetch });
            var seen = new List<int>();
            foreach (var batch in loader)
                using (batch) seen.AddRange(batch.Indices);
            Assert.Equal(a.Order(0), seen);
            Assert.Equal(1, loader.Epoch);
        }
    }

    [Fact]
    public void BatchingAndDropLast()
    {
        var ds = Variable(50);
        var sizes = new List<int>();
        foreach (var b in new DataLoader(ds, new DataLoaderOptions { BatchSize = 16 })) using (b) sizes.Add(b.Size);
        Assert.Equal([16, 16, 16, 2], sizes);
        sizes.Clear();
        foreach (var b in new DataLoader(ds, new DataLoaderOptions { BatchSize = 16, DropLast = true })) using (b) sizes.Add(b.Size);
        Assert.Equal([16, 16, 16], sizes);
    }

    [Fact]
    public void AugmentationIsDeterministicAndTrainingOnly()
    {
        var ds = Variable(30);
        var options = new DataLoaderOptions
        {
            BatchSize = 7, Seed = 1,
            Augment = (e, r) => e with { Data = e.Data.Select(v => v + (float)r.NextDouble()).ToArray() },
        };
        float[] Epoch0(DataLoader l)
        {
            var values = new List<float>();
            foreach (var b in l) using (b) values.AddRange(b.Inputs.data<float>().ToArray());
            return values.ToArray();
        }
        var x = Epoch0(new DataLoader(ds, options));
        var y = Epoch0(new DataLoader(ds, options with { Prefetch = 0 }));
        Assert.Equal(x, y);
        Assert.Contains(x, v => v % 1 != 0); // it did augment
        Assert.Throws<ArgumentException>(() => new DataLoader(ds, options, SplitRole.Test));
        Assert.Throws<ArgumentException>(() => new DataLoader(ds, options, SplitRole.Validation));
    }

    [Fact]
    public void NoTensorLeaks_EvenWhenAnEpochIsAbandoned()
    {
        var ds = Variable(100);
        var before = Tensor.TotalCount;
        var loader = new DataLoader(ds, new DataLoaderOptions { BatchSize = 4, Prefetch = 4 });
        foreach (var b in loader) using (b) { }
        Assert.Equal(before, Tensor.TotalCount);
        // Stop after two batches: the queued ones are disposed by the loader.
        var taken = 0;
        foreach (var b in loader)
        {
            using (b) taken++;
            if (taken == 2) break;
        }
        Assert.Equal(before, Tensor.TotalCount);
    }

    [Fact]
    public void PrefetchRunsAheadOnAnotherThread()
    {
        // The dataset records the thread that reads it; with prefetch it is not the consumer's.
        var threads = new System.Collections.Concurrent.ConcurrentBag<int>();
        var ds = new Recording(Variable(20), threads);
        foreach (var b in new DataLoader(ds, new DataLoaderOptions { BatchSize = 5, Prefetch = 2 })) using (b) { }
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, threads);
    }

    [Fact]
    public void DatasetErrorsReachTheConsumer()
    {
        var ds = new Failing(Variable(20), 13);
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var b in new DataLoader(ds, new DataLoaderOptions { BatchSize = 5, Shuffle = false })) b.Dispose();
        });
        Assert.Contains("item 13", e.Message);
    }

    private sealed class Recording(IDataset inner, System.Collections.Concurrent.ConcurrentBag<int> threads) : IDataset
    {
        public int Count => inner.Count;
        public Example Get(int index) { threads.Add(Environment.CurrentManagedThreadId); return inner.Get(index); }
    }

    private sealed class Failing(IDataset inner, int bad) : IDataset
    {
        public int Count => inner.Count;
        public Example Get(int index) => index == bad ? throw new IOException($"item {bad} is unreadable") : inner.Get(index);
    }
}

/// <summary>Data-parallel shards: each rank's loader serves a contiguous part of every global batch.</summary>
[Collection("synthetic")]
public sealed class ShardedLoaderTests
{
    [Theory]
    [InlineData(10, 2, new[] { 0, 5, 5, 5 })]
    [InlineData(7, 2, new[] { 0, 4, 4, 3 })]
    [InlineData(7, 3, new[] { 0, 3, 3, 2, 5, 2 })]
    public void ShardRangesSplitABatchContiguously(int n, int count, int[] expected)
    {
        var got = Enumerable.Range(0, count).SelectMany(i => { var (s, l) = DataLoader.ShardRange(n, i, count); return new[] { s, l }; }).ToArray();
        Assert.Equal(expected, got);
    }

    [Fact]
    public void TwoShardsTogetherServeEveryBatchOfTheUnshardedLoaderInOrder()
    {
        // 23 examples in batches of 6: 6, 6, 6, 5; the shards of 2 ranks are 3+3, 3+3, 3+3, 3+2.
        var ds = new InMemoryDataset(Enumerable.Range(0, 23).Select(i => new Example([i, i], [2], i % 3)).ToList());
        DataLoader Loader((int, int)? shard) => new(ds, new DataLoaderOptions { BatchSize = 6, Seed = 7, Shard = shard, Prefetch = 1 }) { Epoch = 2 };
        var whole = Loader(null).Select(b => { using (b) return b.Indices; }).ToList();
        var r0 = Loader((0, 2)).Select(b => { using (b) return (b.Indices, b.GlobalSize); }).ToList();
        var r1 = Loader((1, 2)).Select(b => { using (b) return (b.Indices, b.GlobalSize); }).ToList();
        Assert.Equal(4, whole.Count);
        Assert.Equal(4, Loader((0, 2)).BatchCount);
        for (var i = 0; i < whole.Count; i++)
        {
            Assert.Equal(whole[i], r0[i].Indices.Concat(r1[i].Indices));
            Assert.Equal(whole[i].Length, r0[i].GlobalSize);
            Assert.Equal(whole[i].Length, r1[i].GlobalSize);
        }
        Assert.Equal([3, 3, 3, 3], r0.Select(b => b.Indices.Length));
        Assert.Equal([3, 3, 3, 2], r1.Select(b => b.Indices.Length));
    }

    [Fact]
    public void AFinalBatchSmallerThanTheRanksIsDroppedOnEveryRank()
    {
        // 13 examples in batches of 4 over 3 ranks: the last batch has 1 example, fewer than 3 ranks.
        var ds = new InMemoryDataset(Enumerable.Range(0, 13).Select(i => new Example([i], [1], 0)).ToList());
        for (var r = 0; r < 3; r++)
        {
            var loader = new DataLoader(ds, new DataLoaderOptions { BatchSize = 4, Shuffle = false, Shard = (r, 3), Prefetch = 0 });
            Assert.Equal(3, loader.BatchCount);
            Assert.Equal(3, loader.Count(b => { b.Dispose(); return true; }));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(ds, new DataLoaderOptions { BatchSize = 2, Shard = (0, 3) }));
    }
}
