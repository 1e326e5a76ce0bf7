using AverLab.Explanations;

namespace AverLab.Inference.Tests.Explanations;

/// <summary>Sampling Shapley values and permutation importance on plain functions whose answers are known.</summary>
public sealed class VectorAttributionTests
{
    private static float[][] Rows(int n, int d, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    /// <summary>p(class 0) = sigmoid(3 x₂): only feature 2 matters.</summary>
    private static double[][] OnlyFeatureTwo(float[][] rows) =>
        rows.Select(r => { var s = 1 / (1 + Math.Exp(-3 * r[2])); return new[] { s, 1 - s }; }).ToArray();

    [Fact]
    public void AModelOfOneFeatureGetsAllTheAttributionThere()
    {
        var background = Rows(30, 6, 1);
        var x = new float[] { 0.3f, -0.7f, 0.9f, 0.1f, -0.2f, 0.5f };
        var r = ShapleySampling.Estimate(OnlyFeatureTwo, x, background, 64, seed: 4);
        Assert.Equal(64, r.Permutations);
        for (var c = 0; c < 2; c++)
        {
            for (var j = 0; j < 6; j++)
                if (j != 2) Assert.Equal(0.0, r.Values[c, j]);
            var expected = r.Prediction[c] - r.Expected[c];
            Assert.True(Math.Abs(r.Values[c, 2] - expected) <= 4 * r.StandardErrors[c, 2] + 1e-12,
                $"φ₂ {r.Values[c, 2]:0.0000} vs f(x) − E f {expected:0.0000} (SE {r.StandardErrors[c, 2]:0.0000})");
            Assert.Equal(r.Values[c, 2] - expected, r.EfficiencyGap(c), 12);
        }
        Assert.True(r.StandardErrors[0, 2] > 0 && r.StandardErrors[0, 0] == 0);
    }

    [Fact]
    public void AnAdditiveModelGetsItsExactShapleyValues()
    {
        var a = new[] { 2.0, -1.0, 0.5, 0.0, 3.0 };
        double[][] Linear(float[][] rows) => rows.Select(r => { var f = r.Select((v, j) => a[j] * v).Sum(); return new[] { f, -f }; }).ToArray();
        var b = new float[] { 0.1f, 0.2f, -0.3f, 0.4f, 0.0f };
        var x = new float[] { 1.0f, -1.0f, 0.5f, 2.0f, -0.5f };
        var r = ShapleySampling.Estimate(Linear, x, [b], 10, seed: 0);
        for (var j = 0; j < 5; j++)
        {
            Assert.Equal(a[j] * ((double)x[j] - b[j]), r.Values[0, j], 6);
            Assert.Equal(0.0, r.StandardErrors[0, j], 9);           // every permutation gives the same credit
        }
        Assert.Equal(0.0, r.EfficiencyGap(0), 9);
    }

    [Fact]
    public void TwoFeaturesWithAnInteractionAreExactFromOneAntitheticPair()
    {
        // f = x0 · x1 with one background row: v(∅) = b0 b1, v({0}) = x0 b1, v({1}) = b0 x1, v({0,1}) = x0 x1, and
        // φ0 = ½[(v({0}) − v(∅)) + (v({0,1}) − v({1}))]: both orders of two features are one pair.
        double[][] Product(float[][] rows) => rows.Select(r => new[] { (double)r[0] * r[1], 0.0 }).ToArray();
        float[] x = [2f, 3f], b = [0.5f, -1f];
        var r = ShapleySampling.Estimate(Product, x, [b], 2, seed: 9);
        Assert.Equal(0.5 * ((2 * -1.0 - 0.5 * -1.0) + (2 * 3.0 - 0.5 * 3.0)), r.Values[0, 0], 9);
        Assert.Equal(0.5 * ((0.5 * 3.0 - 0.5 * -1.0) + (2 * 3.0 - 2 * -1.0)), r.Values[0, 1], 9);
    }

    [Fact]
    public void TheSameSeedGivesTheSameValues()
    {
        var background = Rows(10, 4, 2);
        double[][] F(float[][] rows) => rows.Select(r => { var s = Math.Tanh(r[0] * r[1] + r[3]); return new[] { s, -s }; }).ToArray();
        var x = new float[] { 0.4f, 0.8f, -0.1f, 0.3f };
        var one = ShapleySampling.Estimate(F, x, background, 20, seed: 5);
        var two = ShapleySampling.Estimate(F, x, background, 20, seed: 5);
        Assert.Equal(one.Of(0), two.Of(0));
        Assert.NotEqual(one.Of(0), ShapleySampling.Estimate(F, x, background, 20, seed: 6).Of(0));
    }

    [Fact]
    public void PermutationImportanceFindsTheOneFeatureTheLabelDependsOn()
    {
        var items = Rows(200, 5, 3);
        var labels = items.Select(r => r[3] > 0 ? 0 : 1).ToArray();
        double[][] Rule(float[][] rows) => rows.Select(r => r[3] > 0 ? new[] { 1.0, 0.0 } : new[] { 0.0, 1.0 }).ToArray();
        var r = PermutationImportance.Compute(Rule, items, labels, repeats: 5, seed: 1);
        Assert.Equal(1.0, r.BaselineAccuracy);
        for (var j = 0; j < 5; j++)
            if (j != 3) Assert.Equal((0.0, 0.0), (r.Mean[j], r.StandardDeviation[j]));
        Assert.InRange(r.Mean[3], 0.35, 0.65);                     // a shuffled sign is right half the time
    }
}
