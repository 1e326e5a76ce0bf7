namespace AverLab.FrontEnds;

/// <summary>SMOTE (Chawla et al. 2002; imblearn's SMOTE with sampling_strategy "auto"): every class below the
/// largest class's count gets synthetic rows until it reaches it. Each synthetic row takes a random row x of its class
/// (uniform), one of x's k nearest same-class neighbours n (Euclidean, x itself excluded; k = min(k, count − 1)),
/// and x + u (n − x) with u uniform in [0, 1). Seeded: the same rows and seed give the same synthetic rows. Give it
/// training rows only.</summary>
public static class Smote
{
    public sealed record Result(IReadOnlyList<float[]> Rows, IReadOnlyList<int> Labels, IReadOnlyDictionary<int, (int Before, int Added)> PerClass);

    /// <summary>The synthetic rows (the given rows are not repeated). A class with one row cannot be interpolated
    /// and is refused by name; a class with no row stays empty.</summary>
    public static Result Oversample(IReadOnlyList<float[]> rows, IReadOnlyList<int> labels, int k, int seed, Func<int, string>? className = null)
    {
        if (rows.Count != labels.Count) throw new ArgumentException($"SMOTE: {rows.Count} rows but {labels.Count} labels");
        if (k < 1) throw new ArgumentException($"SMOTE: k_neighbors must be at least 1, got {k}");
        var byClass = labels.Select((c, i) => (c, i)).GroupBy(x => x.c).OrderBy(g => g.Key)
            .ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray());
        var target = byClass.Values.Max(v => v.Length);
        var rng = new Random(seed);
        var outRows = new List<float[]>();
        var outLabels = new List<int>();
        var perClass = new Dictionary<int, (int, int)>();
        foreach (var (c, members) in byClass)
        {
            var need = target - members.Length;
            perClass[c] = (members.Length, need);
            if (need == 0) continue;
            if (members.Length < 2)
                throw new InvalidOperationException($"SMOTE: class {className?.Invoke(c) ?? c.ToString()} has 1 training example; interpolation needs at least 2");
            var kk = Math.Min(k, members.Length - 1);
            var neighbours = members.Select(i => Nearest(rows, members, i, kk)).ToArray();
            for (var s = 0; s < need; s++)
            {
                var a = rng.Next(members.Length);
                var b = neighbours[a][rng.Next(kk)];
                var u = rng.NextDouble();
                var x = rows[members[a]];
                var n = rows[b];
                var y = new float[x.Length];
                for (var j = 0; j < y.Length; j++) y[j] = (float)(x[j] + u * (n[j] - x[j]));
                outRows.Add(y);
                outLabels.Add(c);
            }
        }
        return new Result(outRows, outLabels, perClass);
    }

    /// <summary>Indices (into rows) of the k members nearest to row i, nearest first, ties by index.</summary>
    private static int[] Nearest(IReadOnlyList<float[]> rows, int[] members, int i, int k) =>
        members.Where(j => j != i)
            .Select(j => (j, d: Distance2(rows[i], rows[j])))
            .OrderBy(x => x.d).ThenBy(x => x.j).Take(k).Select(x => x.j).ToArray();

    private static double Distance2(float[] a, float[] b)
    {
        double s = 0;
        for (var j = 0; j < a.Length; j++)
        {
            double d = a[j] - b[j];
            s += d * d;
        }
        return s;
    }
}
