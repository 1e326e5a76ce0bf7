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
            // PyTorch's load_state_dict wording, on one line.
            if (missing.Count > 0) parts.Add($"Missing key(s) in state_dict: {Join(missing)}");
            if (unexpected.Count > 0) parts.Add($"Unexpected key(s) in state_dict: {Join(unexpected)}");
            if (shapes.Count > 0) parts.Add($"size mismatch: {Join(shapes)}");
            throw new StateDictException($"{(source is null ? "" : source + ": ")}state dict does not fit {module.GetName()}: {string.Join("; ", parts)}");
        }
        using var noGrad = no_grad();
        foreach (var (key, target) in own) target.copy_(state[key]);
    }

    /// <summary>The module's state dict in PyTorch's order: each module's own parameters, then its own buffers, then its
    /// children's entries, depth first (so a BatchNorm's weight, bias, running_mean, running_var, num_batches_tracked stay
    /// together). TorchSharp's Module.state_dict lists every parameter of the tree first and every buffer after them;
    /// the same entries, another order. The order is what a safetensors checkpoint written from it shows, and what
    /// the weight recipe of tests/golden/make_models_golden.py indexes.</summary>
    public static Dictionary<string, Tensor> PyTorchOrdered(nn.Module module, Dictionary<string, Tensor> torchSharpOrder)
    {
        var ordered = new Dictionary<string, Tensor>(torchSharpOrder.Count, StringComparer.Ordinal);
        Walk(module, "");
        foreach (var (key, t) in torchSharpOrder) ordered.TryAdd(key, t);  // anything the walk did not reach, in TorchSharp's order
        return ordered;

        void Walk(nn.Module m, string prefix)
        {
            // A native module (libtorch's TransformerEncoder) reports its whole tree as its own entries, dotted, in
            // libtorch's order (the same as PyTorch's); managed modules have children.
            foreach (var (name, _) in m.named_parameters(recurse: false)) Add(prefix + name);
            foreach (var (name, _) in m.named_buffers(recurse: false)) Add(prefix + name);
            foreach (var (name, child) in m.named_children()) Walk(child, prefix + name + ".");
        }

        void Add(string key)
        {
            if (torchSharpOrder.TryGetValue(key, out var t)) ordered.TryAdd(key, t);
        }
    }

    private static string Join(List<string> items) =>
        string.Join(", ", items.Take(8)) + (items.Count > 8 ? $", ... ({items.Count} in all)" : "");
}
