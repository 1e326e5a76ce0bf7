using TorchSharp;
using TorchSharp.Modules;
using AverLab.IO;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>Loads part of a safetensors checkpoint into a submodule (pretrained encoders for the fusion models).</summary>
internal static class CheckpointLoading
{
    /// <param name="prefix">Only keys starting with this prefix are used, with the prefix removed ("" = all).</param>
    /// <param name="skipPrefix">Keys (after removing <paramref name="prefix"/>) starting with this are ignored (a head).</param>
    public static void LoadInto(nn.Module module, string path, string prefix, string? skipPrefix = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint not found: {path}", path);
        using var scope = NewDisposeScope();
        var (entries, _) = SafeTensors.ReadRaw(path);
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, entry) in entries)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var name = key[prefix.Length..];
            if (skipPrefix is not null && name.StartsWith(skipPrefix, StringComparison.Ordinal)) continue;
            state[name] = TensorFile.ToTensor(entry);
        }
        if (state.Count == 0)
            throw new InvalidDataException($"{path}: holds no tensor under the prefix \"{prefix}\"");
        StateDicts.LoadStrict(module, state, path);
    }
}
