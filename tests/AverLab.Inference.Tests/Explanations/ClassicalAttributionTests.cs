using AverLab.Explanations;
using AverLab.Models;
using AverLab.Models.Classical;

namespace AverLab.Inference.Tests.Explanations;

/// <summary>Shapley values and permutation importance of the classical baselines (ML.NET), through
/// <see cref="ClassicalModel.PredictRows"/> as `explain` uses them: trained where only feature 2 of 6 carries
/// the label, each model must put (nearly) all of both attributions there.</summary>
public sealed class ClassicalAttributionTests
{
    public static readonly TheoryData<string> Names = new() { "random_forest", "logistic_regression", "gradient_boosting" };

    private const int Width = 6, Informative = 2, Classes = 3;

    /// <summary>Every feature standard normal noise, except feature 2 = 3 x class + noise of SD 0.5 (the classes lie
    /// 6 SDs apart on it).</summary>
    private static (float[][] X, int[] Y) Data(int n, int seed)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var x = new float[n][];
        var y = new int[n];
        for (var i = 0; i < n; i++)
        {
            y[i] = i % Classes;
            x[i] = Enumerable.Range(0, Width).Select(j => (float)(j == Informative ? 3 * (y[i] - 1) + 0.5 * Normal() : Normal())).ToArray();
        }
        return (x, y);
    }

    private static ClassicalModel Train(string name, float[][] x, int[] y)
    {
        var spec = ModelRegistry.Get(name);
        var options = (IClassicalOptions)Activator.CreateInstance(spec.OptionsType)!;
        options.NumClasses = Classes;
        options.InputSize = Width;
        return ClassicalModel.Train(spec, options, x, y, null, seed: 3);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AllTheAttributionGoesToTheOneFeatureThatCarriesTheLabel(string name)
    {
        var (x, y) = Data(240, 1);
        var (tx, ty) = Data(90, 2);
        PredictFunction predict = Train(name, x, y).PredictRows;

        var pi = PermutationImportance.Compute(predict, tx, ty, repeats: 3, seed: 5);
        Assert.True(pi.BaselineAccuracy >= 0.95, $"{name}: test accuracy {pi.BaselineAccuracy:0.000}");
        // Shuffling feature 2 drops the accuracy to about chance (1/3): a drop near 0.6; any other feature: (nearly) none.
        Assert.True(pi.Mean[Informative] >= 0.45, $"{name}: permutation importance of feature 2 is {pi.Mean[Informative]:0.000}");
        for (var j = 0; j < Width; j++)
            if (j != Informative) Assert.True(Math.Abs(pi.Mean[j]) <= 0.03, $"{name}: permutation importance of noise feature {j} is {pi.Mean[j]:0.000}");

        // Shapley values of the predicted class for 6 test items (two per class), 30 training rows as background.
        var background = x.Take(30).ToArray();
        double informative = 0, total = 0;
        for (var i = 0; i < 6; i++)
        {
            var r = ShapleySampling.Estimate(predict, tx[i], background, 32, seed: 11 + i);
            var c = Array.IndexOf(r.Prediction, r.Prediction.Max());
            Assert.Equal(ty[i], c);
            for (var j = 0; j < Width; j++)
            {
                total += Math.Abs(r.Values[c, j]);
                if (j == Informative) informative += Math.Abs(r.Values[c, j]);
            }
        }
        Assert.True(informative / total >= 0.9, $"{name}: feature 2 holds {informative / total:P1} of Σ|φ|");
    }
}
