using AverLab.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>TorchSharp tensors to and from safetensors files (the format lives in AverLab.IO; this adds the dtype map
/// and the copies). Checkpoints, state dicts and golden fixtures all go through here.</summary>
public static class TensorFile
{
    private static readonly (string tag, ScalarType type)[] Types =
    [
        ("F64", ScalarType.Float64), ("F32", ScalarType.Float32), ("F16", ScalarType.Float16), ("BF16", ScalarType.BFloat16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    ];

    public static ScalarType DtypeOf(string tag) =>
        Types.FirstOrDefault(t => t.tag == tag) is { tag: not null } t ? t.type : throw new NotSupportedException($"safetensors dtype {tag} has no tensor type");

    public static string TagOf(ScalarType type) =>
        Types.FirstOrDefault(t => t.type == type) is { tag: not null } t ? t.tag : throw new NotSupportedException($"safetensors cannot store {type} tensors");

    /// <summary>A CPU tensor holding a copy of the entry's data.</summary>
    public static Tensor ToTensor(SafeTensorEntry e)
    {
        var t = empty(e.Shape, DtypeOf(e.Dtype));
        if (e.Data.Length > 0) t.bytes = e.Data;
        return t;
    }

    /// <summary>A copy of the tensor's values (moved to CPU, made contiguous) as a safetensors entry.</summary>
    public static SafeTensorEntry ToEntry(Tensor t)
    {
        using var scope = NewDisposeScope();
        var c = t.detach().cpu().contiguous();
        return new SafeTensorEntry(TagOf(c.dtype), c.shape, c.numel() == 0 ? [] : c.bytes.ToArray());
    }

    public static (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) LoadWithMetadata(string path)
    {
        var (entries, metadata) = SafeTensors.ReadRaw(path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, e) in entries) tensors[name] = ToTensor(e);
        return (tensors, metadata);
    }

    public static Dictionary<string, Tensor> Load(string path) => LoadWithMetadata(path).tensors;

    /// <summary>Saves named tensors with optional string metadata, atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.WriteRaw(path, tensors.ToDictionary(kv => kv.Key, kv => ToEntry(kv.Value), StringComparer.Ordinal), metadata);
}
