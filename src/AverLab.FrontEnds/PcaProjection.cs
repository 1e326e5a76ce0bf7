using static TorchSharp.torch;

namespace AverLab.FrontEnds;

/// <summary>Principal component projection of feature vectors, fitted on the training split only and stored in
/// model.json so inference applies it: y = (x − Mean) · Componentsᵀ, k components of the F inputs. As sklearn's PCA
/// (full SVD) up to each component's sign, which here makes the component's largest-magnitude entry positive.</summary>
public sealed record PcaProjection(float[] Mean, float[] Components, int Count, double[] ExplainedVarianceRatio)
{
    public int InputSize => Mean.Length;

    /// <summary>Fits on <paramref name="rows"/> (N x F): <paramref name="components"/> > 0 keeps that many;
    /// otherwise the fewest whose cumulative explained-variance ratio exceeds <paramref name="variance"/> (sklearn's
    /// rule for a float n_components). A count above min(N, F) is refused.</summary>
    public static PcaProjection Fit(IReadOnlyList<float[]> rows, int components, double variance)
    {
        if (rows.Count < 2) throw new ArgumentException($"PCA needs at least 2 training rows, got {rows.Count}");
        var f = rows[0].Length;
        var flat = new double[rows.Count * f];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != f) throw new ArgumentException($"PCA: row {i} has {rows[i].Length} values, expected {f}");
            for (var j = 0; j < f; j++) flat[i * f + j] = rows[i][j];
        }
        var rank = Math.Min(rows.Count, f);
        if (components > rank)
            throw new ArgumentException($"components {components} exceeds min(training rows {rows.Count}, features {f}) = {rank}");
        using var scope = NewDisposeScope();
        var x = tensor(flat, [rows.Count, f]);
        var mean = x.mean([0L]);
        var z = x - mean;
        var cov = z.t().matmul(z).div_(rows.Count - 1);
        var (values, vectors) = linalg.eigh(cov);          // ascending eigenvalues, vectors in columns
        var lambda = values.flip(0).clamp_min(0).data<double>().ToArray();
        var v = vectors.flip(1).t().contiguous().data<double>().ToArray(); // row r: component r
        var total = lambda.Sum();
        var ratio = lambda.Take(rank).Select(l => total > 0 ? l / total : 0).ToArray();
        var k = components;
        if (k <= 0)
        {
            if (!(variance > 0 && variance < 1)) throw new ArgumentException($"PCA: give components > 0 or variance in (0, 1), got {components} and {variance}");
            double cum = 0;
            k = 0;
            while (k < rank && cum + ratio[k] <= variance) cum += ratio[k++];
            k = Math.Min(k + 1, rank);
        }
        var comps = new float[k * f];
        for (var r = 0; r < k; r++)
        {
            var big = 0;
            for (var j = 1; j < f; j++) if (Math.Abs(v[r * f + j]) > Math.Abs(v[r * f + big])) big = j;
            var sign = v[r * f + big] < 0 ? -1 : 1;
            for (var j = 0; j < f; j++) comps[r * f + j] = (float)(sign * v[r * f + j]);
        }
        return new PcaProjection(mean.data<double>().ToArray().Select(m => (float)m).ToArray(), comps, k, ratio.Take(k).ToArray());
    }

    /// <summary>The k projected values of one vector of <see cref="InputSize"/> values.</summary>
    public float[] Transform(float[] x)
    {
        if (x.Length != InputSize) throw new ArgumentException($"PCA was fitted on {InputSize} features, got {x.Length}");
        var y = new float[Count];
        for (var r = 0; r < Count; r++)
        {
            double s = 0;
            for (var j = 0; j < x.Length; j++) s += (x[j] - Mean[j]) * (double)Components[r * InputSize + j];
            y[r] = (float)s;
        }
        return y;
    }
}

/// <summary>A dataset whose vector examples are projected by a fitted <see cref="PcaProjection"/> ([1, F] → [1, k]).</summary>
public sealed class ProjectedDataset(AverLab.Data.Loading.IDataset inner, PcaProjection pca) : AverLab.Data.Loading.IDataset
{
    public int Count => inner.Count;

    public AverLab.Data.Loading.Example Get(int index)
    {
        var e = inner.Get(index);
        return e with { Data = pca.Transform(e.Data), Shape = e.Shape.Length == 1 ? [pca.Count] : [1, pca.Count] };
    }
}
