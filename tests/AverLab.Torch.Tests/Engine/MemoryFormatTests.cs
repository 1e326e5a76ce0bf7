using AverLab.Torch.Serialization;
using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch.Tests.Engine;

/// <summary>Memory formats: channels_last changes strides only (values, shape and autograd unchanged), Module.to
/// relays out 4-D weights in place, a channels_last network computes what the contiguous one does (within
/// convolution rounding), and its weights save in logical order.</summary>
[Collection(AverLab.Torch.Tests.NN.GlobalGeneratorCollection.Name)]
public sealed class MemoryFormatTests
{
    [Fact]
    public void ChannelsLastIsNhwcStridesOverTheSameValues()
    {
        using var scope = NewDisposeScope();
        var x = arange(0, 2 * 3 * 4 * 5).to(float32).reshape(2, 3, 4, 5);
        var y = x.contiguous(channels_last);
        Assert.Equal([2L, 3, 4, 5], y.shape);
        Assert.Equal([60L, 1, 15, 3], y.stride());
        Assert.True(y.is_contiguous(channels_last));
        Assert.False(y.is_contiguous());
        Assert.True(x.is_contiguous(contiguous_format));
        Assert.Equal(x.data<float>(), y.data<float>());
        Assert.True(y.contiguous().equal(x));
        Assert.True(x.to(channels_last).equal(x) && x.to(channels_last).is_contiguous(channels_last));
        Assert.Throws<TorchException>(() => arange(0, 6).to(float32).reshape(1, 2, 3).contiguous(channels_last));
        Assert.Throws<TorchValueException>(() => x.contiguous(preserve_format));
    }

    [Fact]
    public void LikeFactoriesKeepTheSourceLayoutAsPreserveFormatDoes()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 4, 5).contiguous(channels_last);
        foreach (var t in new[] { zeros_like(x), ones_like(x), empty_like(x), full_like(x, 2.5), rand_like(x), randn_like(x) })
        {
            Assert.Equal(x.stride(), t.stride());
            Assert.Equal(x.shape, t.shape);
        }
        Assert.Equal(ScalarType.Float64, zeros_like(x, float64).dtype);
        Assert.True(zeros_like(x).eq(0).all().item<bool>() && full_like(x, 2.5).eq(2.5f).all().item<bool>());
        Assert.True(randint_like(x.@long(), 3, 7).ge(3).all().item<bool>());
        Assert.True(zeros_like(x, requires_grad: true).requires_grad);
        // A contiguous source draws exactly what the shape-based factory draws for the same seed.
        var c = empty(3, 7);
        manual_seed(5);
        var a = randn_like(c);
        manual_seed(5);
        Assert.True(a.equal(randn(3, 7)));
    }

    private static nn.Sequential Net()
    {
        manual_seed(3);
        return new nn.Sequential(new nn.Conv2d(3, 8, 3, padding: 1), new nn.BatchNorm2d(8), new nn.ReLU(),
            new nn.Conv2d(8, 4, 3, stride: 2), new nn.Flatten(), new nn.Linear(4 * 7 * 7, 5));
    }

    [Fact]
    public void ModuleToChannelsLastKeepsParametersAndComputesTheSame()
    {
        using var scope = NewDisposeScope();
        var plain = Net();
        var fast = Net();
        var weight = fast.parameters().First();
        fast.to(channels_last);
        Assert.Same(weight, fast.parameters().First());
        Assert.True(weight.is_contiguous(channels_last));
        Assert.True(weight.requires_grad);
        Assert.All(fast.parameters().Where(p => p.dim() != 4), p => Assert.True(p.is_contiguous()));

        manual_seed(4);
        var x = randn(6, 3, 16, 16);
        var a = plain.forward(x);
        var b = fast.forward(x.contiguous(channels_last));
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-5), $"max |diff| {(a - b).abs().max().item<float>()}");
        a.square().sum().backward();
        b.square().sum().backward();
        foreach (var (p, q) in plain.parameters().Zip(fast.parameters()))
            Assert.True(p.grad!.allclose(q.grad!, rtol: 1e-4, atol: 1e-5), $"gradient of {string.Join("x", p.shape)}");
        // Gradients follow the weight's layout, so an optimizer's element-wise update sees one layout.
        Assert.True(weight.grad!.is_contiguous(channels_last));
    }

    [Fact]
    public void ChannelsLastWeightsSaveInLogicalOrder()
    {
        using var scope = NewDisposeScope();
        var fast = Net();
        fast.to(channels_last);
        var path = Path.Combine(Path.GetTempPath(), $"averlab-cl-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(path, fast.state_dict());
            var plain = Net();
            plain.load_state_dict(SafeTensors.Load(path));
            foreach (var (p, q) in plain.parameters().Zip(fast.parameters()))
                Assert.True(p.equal(q));
        }
        finally { File.Delete(path); }
    }
}
