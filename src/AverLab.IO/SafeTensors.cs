using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace AverLab.IO;

/// <summary>The safetensors format (https://github.com/huggingface/safetensors): 8-byte little-endian header
/// length, a JSON header of {name: {dtype, shape, data_offsets}} plus optional "__metadata__" strings, then raw
/// little-endian data. Nothing in it executes code on load. Reading validates every claim of the header against
/// the file before allocating; writing goes to a temp file renamed into place, so a crash never leaves half a file.</summary>
public static class SafeTensors
{
    /// <summary>Headers above this are refused (the reference implementation's limit is 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Bytes per element of each dtype tag the format defines (and this reader accepts).</summary>
    public static readonly IReadOnlyDictionary<string, int> DtypeSizes = new Dictionary<string, int>
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Reads every entry and the metadata. Throws <see cref="SafeTensorsFormatException"/> for a file
    /// that is truncated or whose header is inconsistent (sizes, overlapping offsets, unknown dtypes).</summary>
    public static (Dictionary<string, SafeTensorEntry> entries, Dictionary<string, string> metadata) ReadRaw(string path)
    {
        using var stream = OpenRead(path);
        var fileLength = stream.Length;
        if (fileLength < 8) throw new SafeTensorsFormatException(path, $"file is {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> lenBytes = stackalloc byte[8];
        stream.ReadExactly(lenBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLength > MaxHeaderBytes) throw new SafeTensorsFormatException(path, $"header claims {headerLength} bytes (limit {MaxHeaderBytes})");
        if ((long)headerLength > fileLength - 8) throw new SafeTensorsFormatException(path, $"header claims {headerLength} bytes but only {fileLength - 8} follow");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataLength = fileLength - 8 - (long)headerLength;

        var specs = ParseHeader(path, headerBytes, dataLength, out var metadata);
        var entries = new Dictionary<string, SafeTensorEntry>(StringComparer.Ordinal);
        var dataStart = 8 + (long)headerLength;
        foreach (var (name, spec) in specs)
        {
            var bytes = new byte[spec.End - spec.Begin];
            stream.Position = dataStart + spec.Begin;
            stream.ReadExactly(bytes);
            entries[name] = new SafeTensorEntry(spec.Dtype, spec.Shape, bytes);
        }
        return (entries, metadata);
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"{path}: no such safetensors file", path);
        }
    }

    private readonly record struct Spec(string Dtype, long[] Shape, long Begin, long End);

    private static List<(string name, Spec spec)> ParseHeader(string path, byte[] header, long dataLength,
        out Dictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException(path, $"header is not valid JSON ({e.Message})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsFormatException(path, "header is not a JSON object");
            var specs = new List<(string, Spec)>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object)
                        throw new SafeTensorsFormatException(path, "__metadata__ is not an object of strings");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new SafeTensorsFormatException(path, $"metadata '{m.Name}' is not a string");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                specs.Add((prop.Name, ParseSpec(path, prop.Name, prop.Value, dataLength)));
            }
            // Offsets must tile the data section exactly: no overlap, no gap, nothing past the end.
            var ordered = specs.OrderBy(s => s.Item2.Begin).ThenBy(s => s.Item2.End).ToList();
            long cursor = 0;
            foreach (var (name, spec) in ordered)
            {
                if (spec.Begin != cursor)
                    throw new SafeTensorsFormatException(path, spec.Begin < cursor
                        ? $"tensor '{name}' overlaps the previous tensor (offset {spec.Begin} < {cursor})"
                        : $"gap before tensor '{name}' (offset {spec.Begin}, expected {cursor})");
                cursor = spec.End;
            }
            if (cursor != dataLength)
                throw new SafeTensorsFormatException(path, $"tensors cover {cursor} bytes but the data section holds {dataLength}");
            return specs;
        }
    }

    private static Spec ParseSpec(string path, string name, JsonElement e, long dataLength)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new SafeTensorsFormatException(path, $"entry '{name}' is not an object");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new SafeTensorsFormatException(path, $"entry '{name}' has no dtype");
        var dtype = dt.GetString()!;
        if (!DtypeSizes.TryGetValue(dtype, out var size))
            throw new SafeTensorsFormatException(path, $"entry '{name}' has unsupported dtype '{dtype}'");
        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw new SafeTensorsFormatException(path, $"entry '{name}' has no shape");
        var shape = new long[sh.GetArrayLength()];
        long count = 1;
        var i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v < 0)
                throw new SafeTensorsFormatException(path, $"entry '{name}' has a bad dimension in its shape");
            shape[i++] = v;
            // Overflow-safe: a huge shape must fail here, not as a giant allocation.
            if (v != 0 && count > long.MaxValue / v / size)
                throw new SafeTensorsFormatException(path, $"entry '{name}' shape is too large");
            count *= v;
        }
        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new SafeTensorsFormatException(path, $"entry '{name}' has no [begin, end] data_offsets");
        if (!off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw new SafeTensorsFormatException(path, $"entry '{name}' has invalid data_offsets");
        if (end > dataLength)
            throw new SafeTensorsFormatException(path, $"entry '{name}' ends at byte {end} but the data section holds {dataLength} (truncated file?)");
        if (end - begin != count * size)
            throw new SafeTensorsFormatException(path, $"entry '{name}' spans {end - begin} bytes but {dtype}{FormatShape(shape)} needs {count * size}");
        return new Spec(dtype, shape, begin, end);
    }

    private static string FormatShape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Writes entries (sorted by name, as the reference writer does) and metadata atomically.</summary>
    public static void WriteRaw(string path, IReadOnlyDictionary<string, SafeTensorEntry> entries,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = entries.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        using var headerStream = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerStream))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var e = entries[name];
                if (!DtypeSizes.TryGetValue(e.Dtype, out var size)) throw new ArgumentException($"entry '{name}' has unsupported dtype '{e.Dtype}'");
                if (e.Data.Length != e.ElementCount * size)
                    throw new ArgumentException($"entry '{name}' holds {e.Data.Length} bytes but {e.Dtype}{FormatShape(e.Shape)} needs {e.ElementCount * size}");
                w.WriteStartObject(name);
                w.WriteString("dtype", e.Dtype);
                w.WriteStartArray("shape");
                foreach (var d in e.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + e.Data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += e.Data.Length;
            }
            w.WriteEndObject();
        }
        var header = headerStream.ToArray();
        var padded = (header.Length + 7) / 8 * 8; // the reference writer pads the header with spaces to 8 bytes
        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            stream.Write(len);
            stream.Write(header);
            for (var i = header.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var name in names) stream.Write(entries[name].Data);
        });
    }
}
