using AverLab.Torch;
using static AverLab.Torch.torch;
using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch.Tests.NN;

/// <summary>EngineOptions.FastDropoutMasks: the same distribution and scaling as PyTorch's dropout, reproducible
/// from the seed, gradients through the mask, and off by default (PyTorch's own masks, checked by the golden tests).</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class FastDropoutTests
{
    private static T WithFastMasks<T>(Func<T> f)
    {
        EngineOptions.FastDropoutMasks = true;
        try { return f(); }
        finally { EngineOptions.FastDropoutMasks = false; }
    }

    [Fact]
    public void KeepsOneMinusPOfTheValuesScaledByItsInverse()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var y = WithFastMasks(() => F.dropout(ones(1_000_001), 0.3, training: true)).data<float>();
        var kept = y.Count(v => v != 0);
        // Binomial(1e6, 0.7): sd 458, so ±2,500 is > 5 sd.
        Assert.InRange(kept, 700_000 - 2_500, 700_000 + 2_500);
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(1 / 0.7f, v, 5));
        // Neighbouring elements are independent: P(both kept) ≈ 0.49.
        var pairs = Enumerable.Range(0, 500_000).Count(i => y[2 * i] != 0 && y[2 * i + 1] != 0);
        Assert.InRange(pairs / 500_000.0, 0.485, 0.495);
    }

    [Fact]
    public void IsReproducibleFromTheSeedAndAdvancesTheGenerator()
    {
        using var scope = NewDisposeScope();
        var x = ones([64L, 33], dtype: ScalarType.Float64);
        manual_seed(9);
        var a = WithFastMasks(() => F.dropout(x, 0.5, training: true));
        var b = WithFastMasks(() => F.dropout(x, 0.5, training: true));
        manual_seed(9);
        var again = WithFastMasks(() => F.dropout(x, 0.5, training: true));
        Assert.True(a.equal(again));
        Assert.False(a.equal(b));
        Assert.Equal(ScalarType.Float64, a.dtype);
    }

    [Fact]
    public void GradientFlowsThroughTheMaskAndEvalIsIdentity()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var x = randn([8, 16], requires_grad: true);
        var y = WithFastMasks(() => F.dropout(x, 0.25, training: true));
        y.sum().backward();
        // d(sum)/dx is the mask itself: 0 where dropped, 1/(1-p) where kept, matching the forward.
        var mask = (y / x).detach();
        Assert.True(x.grad!.allclose(mask, rtol: 1e-5, atol: 1e-6));
        Assert.True(WithFastMasks(() => F.dropout(x, 0.25, training: false)).equal(x));
        Assert.False(EngineOptions.FastDropoutMasks);
    }
}
