using System.Runtime.InteropServices;

namespace AverLab.IO;

/// <summary>One named array of a safetensors file, as raw little-endian bytes with its dtype tag
/// ("F32", "F64", "I64", ...) and shape. Needs no native code: Media and test fixtures use it directly.</summary>
public sealed class SafeTensorEntry
{
    public SafeTensorEntry(string dtype, long[] shape, byte[] data)
    {
        Dtype = dtype;
        Shape = shape;
        Data = data;
    }

    public string Dtype { get; }
    public long[] Shape { get; }
    public byte[] Data { get; }

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public static SafeTensorEntry From(float[] values, params long[] shape) => Make("F32", values, shape);
    public static SafeTensorEntry From(double[] values, params long[] shape) => Make("F64", values, shape);
    public static SafeTensorEntry From(long[] values, params long[] shape) => Make("I64", values, shape);
    public static SafeTensorEntry From(int[] values, params long[] shape) => Make("I32", values, shape);

    private static SafeTensorEntry Make<T>(string dtype, T[] values, long[] shape) where T : unmanaged =>
        new(dtype, shape.Length == 0 && values.Length != 1 ? [values.Length] : shape,
            MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public float[] ToFloat32() => As<float>("F32");
    public double[] ToFloat64() => As<double>("F64");
    public long[] ToInt64() => As<long>("I64");
    public int[] ToInt32() => As<int>("I32");

    /// <summary>Any floating or integer entry widened to double.</summary>
    public double[] ToDoubleArray() => Dtype switch
    {
        "F64" => ToFloat64(),
        "F32" => Array.ConvertAll(ToFloat32(), v => (double)v),
        "I64" => Array.ConvertAll(ToInt64(), v => (double)v),
        "I32" => Array.ConvertAll(ToInt32(), v => (double)v),
        "F16" => Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(Data).ToArray(), v => (double)v),
        "U8" or "BOOL" => Array.ConvertAll(Data, v => (double)v),
        _ => throw new NotSupportedException($"cannot widen safetensors dtype {Dtype} to double"),
    };

    private T[] As<T>(string want) where T : unmanaged
    {
        if (Dtype != want) throw new InvalidOperationException($"entry is {Dtype}, not {want}");
        return MemoryMarshal.Cast<byte, T>(Data).ToArray();
    }
}
