using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>A state dict that does not fit a module: missing or unexpected keys, or a shape that differs. The message
/// names them (PyTorch's load_state_dict error, with the source file when there is one).</summary>
public sealed class StateDictException(string message) : Exception(message);

/// <summary>Strict state-dict loading that says exactly what does not fit before anything is copied.</summary>
public static class StateDicts
{
    /// <summary>Copies <paramref name="state"/> into <paramref name="module"/> (strict: same keys, same shapes; dtypes are
    /// converted as PyTorch's copy_ does). <paramref name="source"/> names the file in the error.</summary>
    public static void LoadStrict(nn.Module module, IReadOnlyDictionary<string, Tensor> state, string? source = null)
    {
        var own = module.state_dict();
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var shapes = own.Where(kv => state.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key}: checkpoint [{string.Join(", ", state[kv.Key].shape)}], model [{string.Join(", ", kv.Value.shape)}]").ToList();
        if (missing.Count + unexpected.Count + shapes.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing keys: {Join(missing)}");
            if (unexpected.Count > 0) parts.Add($"unexpected keys: {Join(unexpected)}");
            if (shapes.Count > 0) parts.Add($"size mismatch: {Join(shapes)}");
            throw new StateDictException($"{(source is null ? "" : source + ": ")}state dict does not fit {module.GetName()}: {string.Join("; ", parts)}");
        }
        using var noGrad = no_grad();
        foreach (var (key, target) in own) target.copy_(state[key]);
    }

    private static string Join(List<string> items) =>
        string.Join(", ", items.Take(8)) + (items.Count > 8 ? $", ... ({items.Count} in all)" : "");
}
