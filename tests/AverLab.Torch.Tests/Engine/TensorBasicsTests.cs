namespace AverLab.Torch.Tests.Engine;

public class TensorBasicsTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Int16)]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Bool)]
    public void EveryDtypeRoundTrips(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var t = tensor(new double[] { 0, 1, 2, 3 }, [2, 2], dtype: dtype);
        Assert.Equal(dtype, t.dtype);
        Assert.Equal(dtype.ElementSize(), t.element_size());
        var back = t.to(float64).data<double>();
        Assert.Equal(dtype == ScalarType.Bool ? new double[] { 0, 1, 1, 1 } : new double[] { 0, 1, 2, 3 }, back);
        Assert.Equal(new long[] { 2, 2 }, t.shape);
    }

    [Fact]
    public void ManagedArraysOfAnyRank()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(6f, t[1, 2].item<float>());
        var b = tensor(new bool[,,] { { { true, false } } });
        Assert.Equal(ScalarType.Bool, b.dtype);
        Assert.Equal(new long[] { 1, 1, 2 }, b.shape);
        Assert.Equal(7L, tensor(7L).item<long>());
        Assert.Empty(tensor(7.5).shape);
        Assert.Throws<TorchException>(() => tensor(new float[] { 1, 2, 3 }, 2, 2));
    }

    [Fact]
    public void FactoriesHonourDtypeDeviceAndRequiresGrad()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(ScalarType.Float32, zeros(2).dtype);
        Assert.Equal(ScalarType.Int64, arange(5).dtype);
        Assert.Equal(ScalarType.Float32, arange(0.0, 1.0, 0.5).dtype);
        Assert.True(randn([2], requires_grad: true).requires_grad);
        Assert.True(zeros_like(ones(3, 2)).shape.SequenceEqual(new long[] { 3, 2 }));
        Assert.Equal(Device.CPU, ones(1).device);
        Assert.Equal(new Device(DeviceType.CUDA, 1), Device.Parse("cuda:1"));
        Assert.Throws<ArgumentException>(() => Device.Parse("tpu"));
        if (!cuda.is_available())
            Assert.ThrowsAny<TorchException>(() => ones(1).cuda());
    }

    [Fact]
    public void SeedsReproduceStreams()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var a = randn(5).data<float>();
        manual_seed(3);
        Assert.Equal(a, randn(5).data<float>());
        using var g = new Generator(9);
        var state = g.get_state();
        var first = rand([4], g).data<float>();
        g.set_state(state);
        Assert.Equal(first, rand([4], g).data<float>());
        Assert.Equal(9UL, g.initial_seed());
    }

    [Fact]
    public void PrintsLikePyTorch()
    {
        using var scope = NewDisposeScope();
        Assert.Equal("tensor([1., 2., 3.])", tensor(new float[] { 1, 2, 3 }).ToString());
        Assert.Equal("tensor([[0.5000, 1.2500]], dtype=float64)", tensor(new double[] { 0.5, 1.25 }, 1, 2).ToString());
        Assert.Equal("tensor([1, 2])", tensor(new long[] { 1, 2 }).ToString());
        Assert.Equal("tensor([True, False])", tensor(new[] { true, false }).ToString());
        Assert.Equal("tensor(3.5000)", tensor(3.5).ToString());
        Assert.Equal("tensor([2.], requires_grad=True)", ones([1], requires_grad: true).mul(2).detach().requires_grad_().ToString());
        var big = arange(2000).ToString();
        Assert.Contains("...", big);
        Assert.EndsWith("1997, 1998, 1999])", big);
    }

    [Fact]
    public void IndexingWithRangesAndAssignment()
    {
        using var scope = NewDisposeScope();
        var a = arange(12).view(3, 4);
        Assert.Equal(new long[] { 5, 6 }, a[1, 1..3].data<long>());
        Assert.Equal(new long[] { 8, 9, 10, 11 }, a[^1].data<long>());
        Assert.Equal(new long[] { 3, 7, 11 }, a[TensorIndex.Colon, ^1].data<long>());
        a[0, 0] = tensor(100L);
        a.index_put_(-1, a < 3);
        Assert.Equal(new long[] { 100, -1, -1, 3 }, a[0].data<long>());
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorIndex.Slice(0, 3, -1));
    }

    [Fact]
    public void InPlaceOpsReturnTheSameObject()
    {
        using var scope = NewDisposeScope();
        var a = ones(3);
        Assert.Same(a, a.add_(1).mul_(3).relu_().clamp_(0, 5));
        Assert.Equal(new float[] { 5, 5, 5 }, a.data<float>());
        var parts = arange(10).chunk(3);
        Assert.Equal(3, parts.Length);
        Assert.Equal(new long[] { 4, 4, 2 }, parts.Select(p => p.shape[0]).ToArray());
    }
}
