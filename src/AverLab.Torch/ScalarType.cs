namespace AverLab.Torch;

/// <summary>Element types. Values equal c10::ScalarType's, which is what crosses the ABI.</summary>
public enum ScalarType
{
    Byte = 0, Int8 = 1, Int16 = 2, Int32 = 3, Int64 = 4, Float16 = 5, Float32 = 6, Float64 = 7,
    ComplexFloat32 = 9, ComplexFloat64 = 10, Bool = 11, BFloat16 = 15,
}

/// <summary>Facts about element types.</summary>
public static class ScalarTypeExtensions
{
    public static bool IsFloatingPoint(this ScalarType t) =>
        t is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;

    public static bool IsIntegral(this ScalarType t, bool includeBool = false) =>
        t is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64
        || (includeBool && t == ScalarType.Bool);

    public static int ElementSize(this ScalarType t) => t switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "unknown scalar type"),
    };

    /// <summary>PyTorch's name of the type (torch.float32 prints as "float32").</summary>
    public static string PyTorchName(this ScalarType t) => t switch
    {
        ScalarType.Byte => "uint8", ScalarType.Int8 => "int8", ScalarType.Int16 => "int16",
        ScalarType.Int32 => "int32", ScalarType.Int64 => "int64", ScalarType.Float16 => "float16",
        ScalarType.Float32 => "float32", ScalarType.Float64 => "float64", ScalarType.Bool => "bool",
        ScalarType.BFloat16 => "bfloat16", ScalarType.ComplexFloat32 => "complex64",
        ScalarType.ComplexFloat64 => "complex128", _ => t.ToString(),
    };

    /// <summary>The element type matching a .NET value type, as used by tensor(T[]) and data&lt;T&gt;().</summary>
    public static ScalarType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return ScalarType.Float32;
        if (typeof(T) == typeof(double)) return ScalarType.Float64;
        if (typeof(T) == typeof(long)) return ScalarType.Int64;
        if (typeof(T) == typeof(int)) return ScalarType.Int32;
        if (typeof(T) == typeof(short)) return ScalarType.Int16;
        if (typeof(T) == typeof(byte)) return ScalarType.Byte;
        if (typeof(T) == typeof(sbyte)) return ScalarType.Int8;
        if (typeof(T) == typeof(bool)) return ScalarType.Bool;
        if (typeof(T) == typeof(Half)) return ScalarType.Float16;
        throw new NotSupportedException($"no tensor element type for .NET type {typeof(T).Name}");
    }
}
