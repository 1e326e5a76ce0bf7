namespace AverLab.Explanations;

/// <summary>Shapley values of each feature for each class probability, estimated by sampling permutations
/// (Štrumbelj and Kononenko 2014): for a random order of the features and a random background row b, the features are
/// switched one by one from b to the explained item x, and each feature is credited with the change of f it causes.
/// Permutations come in antithetic pairs (an order and its reverse), which lowers the variance; each pair is one
/// sample for the standard error. Missing features take the background row's values ("interventional" Shapley, as
/// SHAP's sampling and kernel explainers do).
/// <para>Every permutation's credits sum to f(x) − f(b) exactly, so the estimate's efficiency gap
/// Σφ − (f(x) − E_b f) is the background-sampling error of E_b f alone; it and the per-feature standard errors are the
/// convergence figures.</para></summary>
public static class ShapleySampling
{
    /// <param name="predict">The classifier (<see cref="PredictFunction"/>).</param>
    /// <param name="x">The explained item.</param>
    /// <param name="background">Rows that stand for "feature unknown" (e.g. training items); E f is their mean prediction.</param>
    /// <param name="permutations">Permutations sampled (rounded up to an even number: antithetic pairs).</param>
    /// <param name="seed">Seed of the permutation and background draws (same seed → same values).</param>
    /// <param name="maxRows">Rows per call of <paramref name="predict"/> (memory bound).</param>
    public static ShapleyResult Estimate(PredictFunction predict, float[] x, IReadOnlyList<float[]> background, int permutations, int seed,
        int maxRows = 8192)
    {
        if (background.Count == 0) throw new ArgumentException("Shapley sampling needs at least one background row");
        if (permutations < 2) throw new ArgumentOutOfRangeException(nameof(permutations), $"permutations must be at least 2, got {permutations}");
        var d = x.Length;
        foreach (var b in background)
            if (b.Length != d) throw new ArgumentException($"a background row has {b.Length} values, the item {d}");
        var pairs = (permutations + 1) / 2;
        var fx = predict([x])[0];
        var k = fx.Length;
        var fb = predict(background.ToArray());
        var expected = new double[k];
        foreach (var row in fb)
            for (var c = 0; c < k; c++) expected[c] += row[c] / fb.Length;

        var rng = new Random(seed);
        var sum = new double[k, d];
        var sumSq = new double[k, d];
        var pairsPerCall = Math.Max(1, maxRows / (2 * (d + 1)));
        for (var p0 = 0; p0 < pairs; p0 += pairsPerCall)
        {
            var n = Math.Min(pairsPerCall, pairs - p0);
            var orders = new int[n][];
            var rows = new float[2 * n * (d + 1)][];
            for (var p = 0; p < n; p++)
            {
                var order = Enumerable.Range(0, d).ToArray();
                rng.Shuffle(order);
                orders[p] = order;
                var b = background[rng.Next(background.Count)];
                for (var dir = 0; dir < 2; dir++)
                {
                    var z = (float[])b.Clone();
                    var baseRow = (2 * p + dir) * (d + 1);
                    rows[baseRow] = (float[])z.Clone();
                    for (var s = 0; s < d; s++)
                    {
                        var j = order[dir == 0 ? s : d - 1 - s];
                        z[j] = x[j];
                        rows[baseRow + s + 1] = (float[])z.Clone();
                    }
                }
            }
            var f = predict(rows);
            var credit = new double[k, d];
            for (var p = 0; p < n; p++)
            {
                Array.Clear(credit);
                for (var dir = 0; dir < 2; dir++)
                {
                    var baseRow = (2 * p + dir) * (d + 1);
                    for (var s = 0; s < d; s++)
                    {
                        var j = orders[p][dir == 0 ? s : d - 1 - s];
                        for (var c = 0; c < k; c++) credit[c, j] += 0.5 * (f[baseRow + s + 1][c] - f[baseRow + s][c]);
                    }
                }
                for (var c = 0; c < k; c++)
                    for (var j = 0; j < d; j++)
                    {
                        sum[c, j] += credit[c, j];
                        sumSq[c, j] += credit[c, j] * credit[c, j];
                    }
            }
        }
        var values = new double[k, d];
        var se = new double[k, d];
        for (var c = 0; c < k; c++)
            for (var j = 0; j < d; j++)
            {
                var mean = sum[c, j] / pairs;
                values[c, j] = mean;
                var variance = pairs > 1 ? Math.Max(0, (sumSq[c, j] - pairs * mean * mean) / (pairs - 1)) : double.NaN;
                se[c, j] = Math.Sqrt(variance / pairs);
            }
        return new ShapleyResult(values, se, fx, expected, 2 * pairs, background.Count);
    }
}

/// <summary>Shapley estimates φ[class, feature] with their standard errors, f(x), E_b f over the background, and
/// the number of permutations and background rows used.</summary>
public sealed record ShapleyResult(double[,] Values, double[,] StandardErrors, double[] Prediction, double[] Expected, int Permutations, int BackgroundRows)
{
    public int Classes => Values.GetLength(0);
    public int Features => Values.GetLength(1);

    /// <summary>Σ_j φ[c, j] − (f_c(x) − E_b f_c): the efficiency (local accuracy) gap of class <paramref name="c"/>.</summary>
    public double EfficiencyGap(int c)
    {
        var s = 0.0;
        for (var j = 0; j < Features; j++) s += Values[c, j];
        return s - (Prediction[c] - Expected[c]);
    }

    /// <summary>φ of class <paramref name="c"/> as an array over features.</summary>
    public double[] Of(int c) => Enumerable.Range(0, Features).Select(j => Values[c, j]).ToArray();

    /// <summary>Standard errors of class <paramref name="c"/> over features.</summary>
    public double[] StandardErrorsOf(int c) => Enumerable.Range(0, Features).Select(j => StandardErrors[c, j]).ToArray();
}
