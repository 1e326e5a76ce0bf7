using AverLab.FrontEnds;

namespace AverLab.Training.Tests.Features;

/// <summary>SMOTE on a small imbalanced set (class 0: 12 rows, class 1: 5, class 2: 2): counts balanced to the
/// largest class, every synthetic row on the segment from a row of its class to one of that row's k nearest
/// same-class neighbours, the same rows for the same seed.</summary>
public sealed class SmoteTests
{
    private static (List<float[]> Rows, List<int> Labels) Data()
    {
        var rng = new Random(3);
        var rows = new List<float[]>();
        var labels = new List<int>();
        foreach (var (c, n) in new[] { (0, 12), (1, 5), (2, 2) })
            for (var i = 0; i < n; i++)
            {
                rows.Add([(float)(c * 10 + rng.NextDouble()), (float)(rng.NextDouble() * 3), (float)(c - rng.NextDouble())]);
                labels.Add(c);
            }
        return (rows, labels);
    }

    [Fact]
    public void BalancesEveryClassToTheLargest()
    {
        var (rows, labels) = Data();
        var r = Smote.Oversample(rows, labels, 3, seed: 1);
        var counts = labels.Concat(r.Labels).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<int, int> { [0] = 12, [1] = 12, [2] = 12 }, counts);
        Assert.Equal((5, 7), r.PerClass[1]);
        Assert.Equal((2, 10), r.PerClass[2]);
        Assert.Equal((12, 0), r.PerClass[0]);
    }

    [Fact]
    public void SyntheticRowsLieBetweenARowAndOneOfItsNearestSameClassNeighbours()
    {
        var (rows, labels) = Data();
        const int k = 2;
        var r = Smote.Oversample(rows, labels, k, seed: 5);
        for (var s = 0; s < r.Rows.Count; s++)
        {
            var members = Enumerable.Range(0, rows.Count).Where(i => labels[i] == r.Labels[s]).ToList();
            var found = members.Any(a =>
            {
                var nearest = members.Where(b => b != a).OrderBy(b => Dist(rows[a], rows[b])).Take(k);
                return nearest.Any(b => OnSegment(r.Rows[s], rows[a], rows[b]));
            });
            Assert.True(found, $"synthetic row {s} (class {r.Labels[s]}) is on no segment to a nearest same-class neighbour");
        }
    }

    [Fact]
    public void SameSeedSameRowsOtherSeedOtherRows()
    {
        var (rows, labels) = Data();
        var a = Smote.Oversample(rows, labels, 3, seed: 9);
        var b = Smote.Oversample(rows, labels, 3, seed: 9);
        var c = Smote.Oversample(rows, labels, 3, seed: 10);
        Assert.Equal(a.Rows, b.Rows);
        Assert.NotEqual(a.Rows, c.Rows);
    }

    [Fact]
    public void AClassWithOneRowIsRefusedByName()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            Smote.Oversample([[0f], [1f], [2f]], [0, 0, 1], 5, 1, c => c == 1 ? "sad" : "calm"));
        Assert.Contains("class sad has 1 training example", e.Message);
    }

    private static double Dist(float[] a, float[] b) => a.Zip(b).Sum(p => (p.First - p.Second) * (double)(p.First - p.Second));

    /// <summary>y = a + u (b − a) for one u in [0, 1], to float precision.</summary>
    private static bool OnSegment(float[] y, float[] a, float[] b)
    {
        var d = a.Zip(b, (p, q) => (double)q - p).ToArray();
        var len2 = d.Sum(v => v * v);
        if (len2 == 0) return y.Zip(a).All(p => Math.Abs(p.First - p.Second) < 1e-5);
        var u = y.Select((v, j) => (v - a[j]) * d[j]).Sum() / len2;
        return u >= -1e-6 && u <= 1 + 1e-6 && y.Select((v, j) => Math.Abs(v - (a[j] + u * d[j]))).Max() < 1e-4;
    }
}
