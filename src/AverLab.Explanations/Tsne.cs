namespace AverLab.Explanations;

/// <summary>Settings of <see cref="Tsne"/>; the defaults are scikit-learn's exact method (perplexity 30, early
/// exaggeration 12 for 250 iterations, momentum 0.5 then 0.8, 1000 iterations) with a fixed learning rate of 200.</summary>
public sealed record TsneOptions
{
    public double Perplexity { get; init; } = 30;
    public int Iterations { get; init; } = 1000;
    public double LearningRate { get; init; } = 200;
    public double EarlyExaggeration { get; init; } = 12;
    public int ExaggerationIterations { get; init; } = 250;
    public int Seed { get; init; }
}

/// <summary>Exact t-SNE (van der Maaten and Hinton 2008) to two dimensions: Gaussian affinities with a per-point
/// bandwidth found by bisection for the perplexity, symmetrized; Student-t affinities in the map; gradient descent
/// with momentum and per-coordinate gains. O(N²) per iteration, fine for a few thousand points. Deterministic: one
/// thread, a seeded start (N(0, 10⁻⁴)), the same points in the same order give the same map.</summary>
public static class Tsne
{
    /// <summary>The N x 2 map of <paramref name="points"/> (each row one point, equal widths).</summary>
    public static double[,] Embed(IReadOnlyList<double[]> points, TsneOptions? options = null)
    {
        var o = options ?? new TsneOptions();
        var n = points.Count;
        if (n < 2) throw new ArgumentException($"t-SNE needs at least 2 points, got {n}");
        var perplexity = Math.Min(o.Perplexity, (n - 1) / 3.0);
        if (perplexity <= 0) perplexity = 1;
        var p = Affinities(SquaredDistances(points), n, perplexity);

        var rng = new Random(o.Seed);
        var y = new double[n, 2];
        for (var i = 0; i < n; i++)
            for (var k = 0; k < 2; k++) y[i, k] = 1e-2 * Gaussian(rng);
        var update = new double[n, 2];
        var gains = new double[n, 2];
        for (var i = 0; i < n; i++) gains[i, 0] = gains[i, 1] = 1;
        var num = new double[n * n];
        var grad = new double[n, 2];
        for (var it = 0; it < o.Iterations; it++)
        {
            var exaggeration = it < o.ExaggerationIterations ? o.EarlyExaggeration : 1.0;
            var momentum = it < o.ExaggerationIterations ? 0.5 : 0.8;
            var sumNum = 0.0;
            for (var i = 0; i < n; i++)
            {
                num[i * n + i] = 0;
                for (var j = i + 1; j < n; j++)
                {
                    var dx = y[i, 0] - y[j, 0];
                    var dy = y[i, 1] - y[j, 1];
                    var v = 1.0 / (1.0 + dx * dx + dy * dy);
                    num[i * n + j] = num[j * n + i] = v;
                    sumNum += 2 * v;
                }
            }
            for (var i = 0; i < n; i++)
            {
                double gx = 0, gy = 0;
                for (var j = 0; j < n; j++)
                {
                    if (j == i) continue;
                    var v = num[i * n + j];
                    var q = Math.Max(v / sumNum, 1e-12);
                    var m = (exaggeration * p[i * n + j] - q) * v;
                    gx += m * (y[i, 0] - y[j, 0]);
                    gy += m * (y[i, 1] - y[j, 1]);
                }
                grad[i, 0] = 4 * gx;
                grad[i, 1] = 4 * gy;
            }
            for (var i = 0; i < n; i++)
                for (var k = 0; k < 2; k++)
                {
                    var sameSign = Math.Sign(grad[i, k]) == Math.Sign(update[i, k]);
                    gains[i, k] = Math.Max(0.01, sameSign ? gains[i, k] * 0.8 : gains[i, k] + 0.2);
                    update[i, k] = momentum * update[i, k] - o.LearningRate * gains[i, k] * grad[i, k];
                    y[i, k] += update[i, k];
                }
            for (var k = 0; k < 2; k++)
            {
                var mean = 0.0;
                for (var i = 0; i < n; i++) mean += y[i, k];
                mean /= n;
                for (var i = 0; i < n; i++) y[i, k] -= mean;
            }
        }
        return y;
    }

    /// <summary>The share of each point's <paramref name="k"/> nearest neighbours in the map (Euclidean, the point
    /// itself excluded) that have its label, averaged over the points: 1 when every class forms its own island.</summary>
    public static double NeighbourPurity(double[,] map, IReadOnlyList<int> labels, int k = 5)
    {
        var n = map.GetLength(0);
        if (n != labels.Count) throw new ArgumentException($"{n} points but {labels.Count} labels");
        k = Math.Min(k, n - 1);
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var nearest = Enumerable.Range(0, n).Where(j => j != i)
                .OrderBy(j => Sq(map[i, 0] - map[j, 0]) + Sq(map[i, 1] - map[j, 1])).ThenBy(j => j).Take(k);
            total += nearest.Count(j => labels[j] == labels[i]) / (double)k;
        }
        return total / n;
        static double Sq(double v) => v * v;
    }

    private static double[] SquaredDistances(IReadOnlyList<double[]> points)
    {
        var n = points.Count;
        var d = points[0].Length;
        var dist = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            if (points[i].Length != d) throw new ArgumentException($"point {i} has {points[i].Length} values, point 0 has {d}");
            for (var j = i + 1; j < n; j++)
            {
                var s = 0.0;
                var a = points[i];
                var b = points[j];
                for (var t = 0; t < d; t++)
                {
                    var v = a[t] - b[t];
                    s += v * v;
                }
                dist[i * n + j] = dist[j * n + i] = s;
            }
        }
        return dist;
    }

    /// <summary>Joint probabilities P (N x N, row-major): per row, the Gaussian bandwidth whose conditional
    /// distribution has entropy log(perplexity) (bisection on β = 1/2σ², 100 steps at most, tolerance 1e-5), then
    /// (P + Pᵀ) / 2N, floored at 1e-12.</summary>
    private static double[] Affinities(double[] dist, int n, double perplexity)
    {
        var conditional = new double[n * n];
        var target = Math.Log(perplexity);
        var row = new double[n];
        for (var i = 0; i < n; i++)
        {
            double beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
            var minD = double.PositiveInfinity;
            for (var j = 0; j < n; j++) if (j != i) minD = Math.Min(minD, dist[i * n + j]);
            for (var step = 0; step < 100; step++)
            {
                double sum = 0, weighted = 0;
                for (var j = 0; j < n; j++)
                {
                    if (j == i) { row[j] = 0; continue; }
                    var dj = dist[i * n + j] - minD;                        // shifted: the same distribution, no underflow
                    row[j] = Math.Exp(-dj * beta);
                    sum += row[j];
                    weighted += dj * row[j];
                }
                var entropy = Math.Log(sum) + beta * weighted / sum;
                for (var j = 0; j < n; j++) conditional[i * n + j] = row[j] / sum;
                var diff = entropy - target;
                if (Math.Abs(diff) < 1e-5) break;
                if (diff > 0)
                {
                    lo = beta;
                    beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2;
                }
                else
                {
                    hi = beta;
                    beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2;
                }
            }
        }
        var p = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) p[i * n + j] = Math.Max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), 1e-12);
        return p;
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
