namespace AverLab.Data.Features;

/// <summary>A feature tensor as a flat float array plus its shape (e.g. [frames, n_mfcc]); the first dimension is
/// the variable-length one that collation pads.</summary>
public sealed record FeatureArray(float[] Data, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public static FeatureArray Create(float[] data, params long[] shape)
    {
        var fa = new FeatureArray(data, shape);
        if (fa.ElementCount != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {fa.ElementCount} values, got {data.Length}");
        return fa;
    }
}
