using AverLab.Explanations;

namespace AverLab.Inference.Tests.Explanations;

public sealed class TsneTests
{
    /// <summary>Three Gaussian clusters (σ 1) in 10-D, centres 10 apart, 40 points each, interleaved.</summary>
    private static (double[][] points, int[] labels) Clusters(int seed)
    {
        var rng = new Random(seed);
        var points = new List<double[]>();
        var labels = new List<int>();
        for (var i = 0; i < 120; i++)
        {
            var c = i % 3;
            points.Add(Enumerable.Range(0, 10).Select(d => (d == c ? 10.0 : 0.0) + Gaussian(rng)).ToArray());
            labels.Add(c);
        }
        return (points.ToArray(), labels.ToArray());
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void WellSeparatedClustersStayApart()
    {
        var (points, labels) = Clusters(1);
        var map = Tsne.Embed(points, new TsneOptions { Seed = 3 });
        Assert.Equal((120, 2), (map.GetLength(0), map.GetLength(1)));
        var purity = Tsne.NeighbourPurity(map, labels, k: 5);
        Assert.True(purity >= 0.95, $"5-NN purity of the map {purity:0.000}");
        // Between-cluster distances dwarf within-cluster spread in the map too.
        double Spread(int c) => Enumerable.Range(0, 120).Where(i => labels[i] == c).Average(i => Math.Sqrt(Sq(map[i, 0] - Centre(c).x) + Sq(map[i, 1] - Centre(c).y)));
        (double x, double y) Centre(int c) => (Enumerable.Range(0, 120).Where(i => labels[i] == c).Average(i => map[i, 0]),
            Enumerable.Range(0, 120).Where(i => labels[i] == c).Average(i => map[i, 1]));
        var minGap = new[] { (0, 1), (0, 2), (1, 2) }.Min(p => Math.Sqrt(Sq(Centre(p.Item1).x - Centre(p.Item2).x) + Sq(Centre(p.Item1).y - Centre(p.Item2).y)));
        Assert.True(minGap > 2 * Enumerable.Range(0, 3).Max(Spread), $"closest centres {minGap:0.0} vs largest spread {Enumerable.Range(0, 3).Max(Spread):0.0}");
    }

    private static double Sq(double v) => v * v;

    [Fact]
    public void TheSameSeedGivesTheSameMap()
    {
        var (points, _) = Clusters(2);
        var options = new TsneOptions { Seed = 7, Iterations = 300 };
        var a = Tsne.Embed(points, options);
        var b = Tsne.Embed(points, options);
        Assert.Equal(a.Cast<double>(), b.Cast<double>());
        Assert.NotEqual(a.Cast<double>(), Tsne.Embed(points, options with { Seed = 8 }).Cast<double>());
    }

    [Fact]
    public void PurityIsLowForRandomLabels()
    {
        var (points, labels) = Clusters(3);
        var map = Tsne.Embed(points, new TsneOptions { Seed = 1, Iterations = 300 });
        var shuffled = labels.ToArray();
        new Random(0).Shuffle(shuffled);
        Assert.True(Tsne.NeighbourPurity(map, shuffled) < 0.6);
    }
}
