namespace AverLab.Data.Loading;

/// <summary>One example before collation: features (flat, with shape; the first dimension may vary between
/// examples) and a class index.</summary>
public sealed record Example(float[] Data, long[] Shape, long Label)
{
    public long Length => Shape.Length == 0 ? 1 : Shape[0];
}
