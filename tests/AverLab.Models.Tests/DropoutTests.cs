using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Models.Tests;

/// <summary>UniformMaskDropout is PyTorch's dropout with another random stream: the same keep rate, the same scaled
/// values (1/(1−p) computed in float, as ATen's noise.div_), the same gradient, identity in eval, zeros at p = 1, and
/// the same masks for the same seed.</summary>
public sealed class DropoutTests
{
    [Theory]
    [InlineData(0.1), InlineData(0.3), InlineData(0.5), InlineData(0.9)]
    public void KeepsOneMinusPAndScalesLikePyTorch(double p)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var d = new UniformMaskDropout(p);
        d.train();
        var x = (rand(200_000) + 0.5f).requires_grad_();
        var y = d.forward(x);
        var kept = y.ne(0);
        var rate = kept.to(ScalarType.Float64).mean().ToDouble();
        // 200k Bernoulli draws: the standard error is ~0.0011 at p = .5; 5 sigma.
        Assert.InRange(rate, 1 - p - 0.006, 1 - p + 0.006);
        // Kept values are x · (1/(1−p) rounded to float), exactly; dropped ones are 0.
        var scale = (float)(1.0f / (float)(1 - p));
        Assert.True(y.masked_select(kept).Equals(x.detach().masked_select(kept) * scale), "kept values are not x/(1-p)");
        y.sum().backward();
        Assert.True(x.grad!.Equals(kept.to(ScalarType.Float32) * scale), "gradient is not the scaled mask");
    }

    [Fact]
    public void EvalAndZeroPAreIdentityOneIsZerosAndSeedsRepeat()
    {
        using var scope = NewDisposeScope();
        var x = randn(64, 32);
        var d = new UniformMaskDropout(0.4);
        d.eval();
        Assert.True(d.forward(x).Equals(x));
        var zero = new UniformMaskDropout(0);
        zero.train();
        Assert.True(zero.forward(x).Equals(x));
        var one = new UniformMaskDropout(1);
        one.train();
        Assert.True(one.forward(x).Equals(zeros_like(x)));
        d.train();
        manual_seed(9);
        var a = d.forward(x);
        manual_seed(9);
        var b = d.forward(x);
        Assert.True(a.Equals(b), "same seed, different masks");
        Assert.False(a.Equals(d.forward(x)), "the next draw repeated the mask");
        Assert.Throws<ArgumentException>(() => new UniformMaskDropout(1.5));
    }
}
