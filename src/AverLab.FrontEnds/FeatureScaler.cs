using AverLab.Data.Loading;

namespace AverLab.FrontEnds;

/// <summary>Per-row standardization of [rows, frames] features (per MFCC coefficient), fitted on the training
/// split only: x' = (x − mean_r) / std_r. Raw MFCCs span hundreds of units (c0 especially), which stalls SGD; the
/// seeds standardize too. A feature vector ([F] or [1, F]: hand-crafted features, AV statistics) is standardized
/// per value, as sklearn's StandardScaler does. The statistics are stored in model.json so inference applies the
/// same transform.</summary>
public sealed record FeatureScaler(float[] Mean, float[] Std)
{
    public static FeatureScaler Fit(IDataset train)
    {
        var first = train.Get(0);
        var rows = first.Shape.Length >= 2 && first.Shape[0] > 1 ? (int)first.Shape[0] : first.Data.Length;
        var sum = new double[rows];
        var sq = new double[rows];
        long perRow = 0;
        for (var i = 0; i < train.Count; i++)
        {
            var e = train.Get(i);
            var cols = e.Data.Length / rows;
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++)
                {
                    double v = e.Data[r * cols + c];
                    sum[r] += v;
                    sq[r] += v * v;
                }
            perRow += cols;
        }
        var mean = new float[rows];
        var std = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var m = sum[r] / perRow;
            mean[r] = (float)m;
            std[r] = (float)Math.Max(Math.Sqrt(Math.Max(sq[r] / perRow - m * m, 0)), 1e-6);
        }
        return new FeatureScaler(mean, std);
    }

    public float[] Transform(float[] data)
    {
        var rows = Mean.Length;
        var cols = data.Length / rows;
        var y = new float[data.Length];
        for (var r = 0; r < rows; r++)
        {
            float m = Mean[r], s = 1 / Std[r];
            for (var c = 0; c < cols; c++) y[r * cols + c] = (data[r * cols + c] - m) * s;
        }
        return y;
    }

    public IDataset Apply(IDataset inner) => new Scaled(inner, this);

    private sealed class Scaled(IDataset inner, FeatureScaler scaler) : IDataset
    {
        public int Count => inner.Count;

        public Example Get(int index)
        {
            var e = inner.Get(index);
            return e with { Data = scaler.Transform(e.Data) };
        }
    }
}
