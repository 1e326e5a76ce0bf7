using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AverLab.IO;

namespace AverLab.Data.Splits;

/// <summary>Reads and writes a <see cref="DataSplit"/> as JSON (written atomically), and hashes it so a run record
/// can name the exact data it used.</summary>
public static class SplitManifest
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string ToJson(DataSplit split) => JsonSerializer.Serialize(split, Options);

    public static void Write(string path, DataSplit split)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(path, ToJson(split));
    }

    public static DataSplit Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"split manifest '{path}' does not exist", path);
        try
        {
            return JsonSerializer.Deserialize<DataSplit>(File.ReadAllText(path), Options)
                   ?? throw new InvalidDataException($"{path}: split manifest is empty (null)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid split manifest ({e.Message})", e);
        }
    }

    /// <summary>SHA-256 (hex, first 16 chars) of the manifest's JSON: equal hashes mean identical splits.</summary>
    public static string Hash(DataSplit split) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson(split))))[..16];
}
