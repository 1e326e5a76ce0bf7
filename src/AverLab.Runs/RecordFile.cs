using System.Text.Json;

namespace AverLab.Runs;

/// <summary>Reading a run folder's typed JSON records: one place for the missing-file and damaged-file rules.</summary>
internal static class RecordFile
{
    /// <summary>The record at <paramref name="path"/>; null when there is no such file.</summary>
    /// <exception cref="InvalidDataException">The file is not a <paramref name="kind"/> (names the file and the problem).</exception>
    public static T? Read<T>(string path, string kind) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path))
                   ?? throw new InvalidDataException($"{path}: empty {kind}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a {kind}: {e.Message}", e);
        }
    }
}
