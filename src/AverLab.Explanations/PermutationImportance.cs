namespace AverLab.Explanations;

/// <summary>Permutation importance (Breiman 2001; scikit-learn's permutation_importance): the accuracy lost when one
/// feature's column is shuffled across the items, breaking its link with the label while keeping its distribution;
/// repeated with fresh shuffles, reported as mean ± standard deviation over the repeats.</summary>
public static class PermutationImportance
{
    public static PermutationImportanceResult Compute(PredictFunction predict, IReadOnlyList<float[]> items, IReadOnlyList<int> labels, int repeats, int seed)
    {
        if (items.Count == 0 || items.Count != labels.Count)
            throw new ArgumentException($"permutation importance needs items with one label each, got {items.Count} items and {labels.Count} labels");
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), $"repeats must be at least 1, got {repeats}");
        var d = items[0].Length;
        var n = items.Count;
        var baseline = Accuracy(predict(items.ToArray()), labels);
        var rng = new Random(seed);
        var mean = new double[d];
        var std = new double[d];
        var drops = new double[repeats];
        for (var j = 0; j < d; j++)
        {
            for (var r = 0; r < repeats; r++)
            {
                var order = Enumerable.Range(0, n).ToArray();
                rng.Shuffle(order);
                var rows = new float[n][];
                for (var i = 0; i < n; i++)
                {
                    rows[i] = (float[])items[i].Clone();
                    rows[i][j] = items[order[i]][j];
                }
                drops[r] = baseline - Accuracy(predict(rows), labels);
            }
            mean[j] = drops.Average();
            std[j] = repeats > 1 ? Math.Sqrt(drops.Sum(v => (v - mean[j]) * (v - mean[j])) / (repeats - 1)) : 0;
        }
        return new PermutationImportanceResult(baseline, mean, std, repeats, n);
    }

    private static double Accuracy(double[][] probabilities, IReadOnlyList<int> labels)
    {
        var correct = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            var best = 0;
            for (var c = 1; c < p.Length; c++) if (p[c] > p[best]) best = c;
            if (best == labels[i]) correct++;
        }
        return correct / (double)labels.Count;
    }
}

/// <summary>The unshuffled accuracy, and per feature the mean and standard deviation of the accuracy drop over
/// <see cref="Repeats"/> shuffles of <see cref="Items"/> items.</summary>
public sealed record PermutationImportanceResult(double BaselineAccuracy, double[] Mean, double[] StandardDeviation, int Repeats, int Items);
