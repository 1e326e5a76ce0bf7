using AverLab.FrontEnds;
using AverLab.IO;

namespace AverLab.Training.Tests.Features;

/// <summary>PCA against scikit-learn (tests/golden/make_pca_golden.py: a count, a variance fraction, fewer rows than
/// features), to 1e-4, with the component sign convention the script documents.</summary>
public sealed class PcaProjectionTests
{
    private static readonly Lazy<Dictionary<string, SafeTensorEntry>> Golden =
        new(() => SafeTensors.ReadRaw(Path.Combine(AppContext.BaseDirectory, "golden", "pca.safetensors")).entries);

    private static List<float[]> Rows(int count)
    {
        var x = Golden.Value["x"].ToFloat32();
        return Enumerable.Range(0, count).Select(i => x.AsSpan(i * 8, 8).ToArray()).ToList();
    }

    [Theory]
    [InlineData("components3", 40, 3, 0.0)]
    [InlineData("variance90", 40, 0, 0.9)]
    [InlineData("wide", 6, 5, 0.0)]
    public void EqualsScikitLearn(string name, int rows, int components, double variance)
    {
        var g = Golden.Value;
        var x = Rows(rows);
        var pca = PcaProjection.Fit(x, components, variance);
        var ratio = g[$"{name}.explained_variance_ratio"].ToFloat64();
        Assert.Equal(ratio.Length, pca.Count);
        for (var i = 0; i < ratio.Length; i++) Assert.Equal(ratio[i], pca.ExplainedVarianceRatio[i], 1e-6);
        var mean = g[$"{name}.mean"].ToFloat64();
        for (var j = 0; j < 8; j++) Assert.Equal(mean[j], pca.Mean[j], 1e-4);
        var comps = g[$"{name}.components"].ToFloat64();
        for (var i = 0; i < comps.Length; i++) Assert.Equal(comps[i], pca.Components[i], 1e-4);
        var transformed = g[$"{name}.transformed"].ToFloat64();
        for (var r = 0; r < rows; r++)
        {
            var y = pca.Transform(x[r]);
            for (var c = 0; c < pca.Count; c++)
                Assert.True(Math.Abs(transformed[r * pca.Count + c] - y[c]) <= 1e-4 * Math.Max(1, Math.Abs(transformed[r * pca.Count + c])),
                    $"row {r} component {c}: {y[c]} vs sklearn {transformed[r * pca.Count + c]}");
        }
    }

    [Fact]
    public void MoreComponentsThanRowsOrFeaturesAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => PcaProjection.Fit(Rows(6), 7, 0));
        Assert.Contains("min(training rows 6, features 8) = 6", e.Message);
        Assert.Throws<ArgumentException>(() => PcaProjection.Fit(Rows(40), 0, 0));
    }
}
