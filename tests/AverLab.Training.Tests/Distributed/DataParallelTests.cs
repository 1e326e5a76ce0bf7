using AverLab.Training.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Training.Tests.Distributed;

/// <summary>The bucketed all-reduce without MPI: a fake group of two ranks whose other rank holds the values
/// <see cref="Other"/> computes from this one's, so the sums are known.</summary>
public sealed class DataParallelTests
{
    private sealed class TwoRanks(Func<float, float> other) : ICollectives
    {
        public List<int> Calls { get; } = [];
        public int Rank => 0;
        public int Size => 2;
        public void AllreduceSum(Span<float> values)
        {
            Calls.Add(values.Length);
            for (var i = 0; i < values.Length; i++) values[i] += other(values[i]);
        }
        public void AllreduceSum(Span<double> values) { for (var i = 0; i < values.Length; i++) values[i] *= 2; }
        public void Broadcast(Span<byte> bytes, int root = 0) { }
        public void Barrier() { }
        public void Abort(int code) => throw new InvalidOperationException($"abort {code}");
    }

    [Fact]
    public void BucketsFillInModelOrderAndABigParameterGetsItsOwn()
    {
        var dp = new DataParallel(new TwoRanks(x => x), bucketMegabytes: 1.0 / 1024); // 1 KiB = 256 floats
        var buckets = dp.Buckets([100, 100, 100, 1000, 10, 10]);
        Assert.Equal([[0, 1], [2], [3], [4, 5]], buckets);
    }

    [Fact]
    public void GradientsAreSummedOverTheRanksOneCallPerBucket()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var model = nn.Sequential(nn.Linear(50, 5), nn.ReLU(), nn.Linear(5, 3)); // 250 + 5 + 15 + 3 floats
        var x = randn(8, 50);
        model.call(x).sum().backward();
        var parameters = model.parameters().ToArray();
        var before = parameters.Select(p => p.grad!.clone()).ToList();
        var group = new TwoRanks(v => 10 * v); // the other rank's gradient is 10x this one's
        var dp = new DataParallel(group, bucketMegabytes: 1.0 / 1024);
        dp.AllreduceGradients(parameters);
        Assert.Equal(2, dp.LastBucketCount);
        Assert.Equal([250 + 5, 15 + 3], group.Calls); // weight 0 + bias 0 fill 255 of 256 floats; the rest is the second bucket
        for (var i = 0; i < parameters.Length; i++)
            Assert.True(parameters[i].grad!.allclose(before[i] * 11, rtol: 1e-6, atol: 0), $"parameter {i}");
    }

    [Fact]
    public void TransposedGradientsAndBatchNormStatisticsAreReducedAsTensors()
    {
        using var scope = NewDisposeScope();
        var bn = nn.BatchNorm1d(4);
        bn.train();
        bn.call(tensor(new float[] { 1, 2, 3, 4, 3, 2, 1, 0 }).reshape(2, 4));
        var mean = bn.running_mean!.clone();
        var dp = new DataParallel(new TwoRanks(v => 3 * v)); // other rank: 3x these statistics
        dp.AverageBuffers(bn);
        Assert.True(bn.running_mean!.allclose(mean * 2), "running mean averaged: (m + 3m) / 2");

        var w = nn.Parameter(zeros(3, 2));
        w.grad = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3).t(); // a non-contiguous gradient
        new DataParallel(new TwoRanks(v => v)).AllreduceGradients([w]);
        Assert.Equal(new float[] { 2, 8, 4, 10, 6, 12 }, w.grad!.contiguous().data<float>().ToArray());
    }
}
