using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using AverLab.IO;
using AverLab.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Training.Loop;

/// <summary>One safetensors file that resumes training exactly: the model's tensors under "model.", the caller's extra
/// tensors (the random generator's state) under "extra.", and the optimizer's complete state: each parameter's state
/// tensors as "optimizer.state.&lt;index&gt;.&lt;field&gt;" (TorchSharp's field names, which are PyTorch's: exp_avg,
/// exp_avg_sq, momentum_buffer, square_avg, sum), its scalars and the param groups' options as JSON metadata
/// ("optimizer.state", "optimizer.param_groups"), and the class ("optimizer"). TorchSharp's own binary optimizer format
/// is not used: it cannot write channels-last state. Schedulers hold no state here: the trainer replays their steps on
/// resume. Written atomically.</summary>
public static class TrainingCheckpoint
{
    public const string ModelPrefix = ModelFile.ModelPrefix;
    public const string ExtraPrefix = "extra.";
    public const string OptimizerPrefix = "optimizer.state.";
    public const string FormatTag = "averlab.checkpoint.torchsharp.v1";

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> model, OptimizerHelper optimizer,
        IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyDictionary<string, Tensor>? extra = null)
    {
        var entries = new Dictionary<string, SafeTensorEntry>(StringComparer.Ordinal);
        foreach (var (name, t) in model) entries[ModelPrefix + name] = TensorFile.ToEntry(t);
        foreach (var (name, t) in extra ?? new Dictionary<string, Tensor>()) entries[ExtraPrefix + name] = TensorFile.ToEntry(t);
        var sd = optimizer.state_dict();
        var states = new JsonArray();
        for (var i = 0; i < sd.State.Count; i++)
        {
            var scalars = new JsonObject();
            foreach (var f in Fields(sd.State[i]))
                switch (f.GetValue(sd.State[i]))
                {
                    case Tensor t: entries[$"{OptimizerPrefix}{i}.{f.Name}"] = TensorFile.ToEntry(t); break;
                    case null: break;
                    case var v: scalars[f.Name] = JsonValue.Create(Convert.ToDouble(v, CultureInfo.InvariantCulture)); break;
                }
            states.Add(scalars);
        }
        var groups = new JsonArray(sd.Options.Select(o => (JsonNode?)OptionsJson(o)).ToArray());
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatTag, ["optimizer"] = optimizer.GetType().Name,
            ["optimizer.state"] = states.ToJsonString(), ["optimizer.param_groups"] = groups.ToJsonString(),
        };
        foreach (var (k, v) in metadata ?? new Dictionary<string, string>()) meta.TryAdd(k, v);
        SafeTensors.WriteRaw(path, entries, meta);
    }

    /// <summary>Restores the optimizer and returns the model's tensors, the extra tensors and the metadata (new tensors,
    /// the caller's). <paramref name="beforeOptimizer"/> runs after the file has been read and checked, before the
    /// optimizer changes. Errors name the file and the problem.</summary>
    public static (Dictionary<string, Tensor> model, Dictionary<string, Tensor> extra, Dictionary<string, string> metadata) LoadAll(
        string path, OptimizerHelper optimizer, Action<IReadOnlyDictionary<string, string>>? beforeOptimizer = null)
    {
        var (entries, meta) = SafeTensors.ReadRaw(path);
        if (!meta.TryGetValue("format", out var format) || format != FormatTag)
        {
            if (meta.ContainsKey("optimizer.format"))
                throw new FormatException($"{path}: a checkpoint of the earlier in-house engine: its model weights load " +
                    "(evaluate, predict, fine-tune), but its optimizer state cannot resume training on TorchSharp; start the run anew");
            throw new FormatException($"{path}: not a training checkpoint (no '{FormatTag}' format tag)");
        }
        if (meta.GetValueOrDefault("optimizer") is { } kind && kind != optimizer.GetType().Name)
            throw new FormatException($"{path}: holds {kind} state but the config's optimizer is {optimizer.GetType().Name}");
        var sd = optimizer.state_dict();
        var states = JsonNode.Parse(meta.GetValueOrDefault("optimizer.state") ?? "[]")!.AsArray();
        var groups = JsonNode.Parse(meta.GetValueOrDefault("optimizer.param_groups") ?? "[]")!.AsArray();
        if (states.Count != sd.State.Count || groups.Count != sd.Options.Count)
            throw new FormatException($"{path}: optimizer state for {states.Count} parameters in {groups.Count} groups, but this run's " +
                $"optimizer has {sd.State.Count} in {sd.Options.Count}");
        beforeOptimizer?.Invoke(meta);
        using (no_grad())
        {
            for (var i = 0; i < sd.State.Count; i++)
            {
                var state = sd.State[i];
                foreach (var f in Fields(state))
                {
                    if (f.FieldType == typeof(Tensor))
                    {
                        var current = (Tensor?)f.GetValue(state);
                        if (!entries.TryGetValue($"{OptimizerPrefix}{i}.{f.Name}", out var e))
                        {
                            current?.Dispose();
                            f.SetValue(state, null);
                            continue;
                        }
                        var loaded = TensorFile.ToTensor(e);
                        if (current is null || !current.shape.SequenceEqual(loaded.shape))
                        {
                            current?.Dispose();
                            f.SetValue(state, loaded.DetachFromDisposeScope());
                            continue;
                        }
                        current.copy_(loaded);
                        loaded.Dispose();
                    }
                    else if (states[i]?[f.Name] is JsonValue v)
                        f.SetValue(state, Convert.ChangeType(v.GetValue<double>(), f.FieldType, CultureInfo.InvariantCulture));
                }
            }
            for (var g = 0; g < sd.Options.Count; g++) LoadOptions(sd.Options[g], groups[g]!.AsObject());
        }
        var model = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var extra = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, e) in entries)
            if (name.StartsWith(ModelPrefix, StringComparison.Ordinal)) model[name[ModelPrefix.Length..]] = TensorFile.ToTensor(e);
            else if (name.StartsWith(ExtraPrefix, StringComparison.Ordinal)) extra[name[ExtraPrefix.Length..]] = TensorFile.ToTensor(e);
        return (model, extra, meta);
    }

    private static IEnumerable<FieldInfo> Fields(object o) =>
        o.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(f => f.FieldType == typeof(Tensor) || f.FieldType.IsPrimitive)
            .OrderBy(f => f.Name, StringComparer.Ordinal);

    private static IEnumerable<FieldInfo> OptionFields(object o) =>
        o.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(f => (Nullable.GetUnderlyingType(f.FieldType) ?? f.FieldType).IsPrimitive);

    private static JsonObject OptionsJson(OptimizerOptions o)
    {
        var json = new JsonObject { ["lr"] = o.LearningRate, ["initial_lr"] = o.InitialLearningRate };
        foreach (var f in OptionFields(o))
            if (f.GetValue(o) is { } v) json[f.Name] = JsonValue.Create(Convert.ToDouble(v, CultureInfo.InvariantCulture));
        return json;
    }

    private static void LoadOptions(OptimizerOptions o, JsonObject json)
    {
        if (json["lr"] is JsonValue lr) o.LearningRate = lr.GetValue<double>();
        if (json["initial_lr"] is JsonValue init) o.InitialLearningRate = init.GetValue<double>();
        foreach (var f in OptionFields(o))
            if (json[f.Name] is JsonValue v)
                f.SetValue(o, Convert.ChangeType(v.GetValue<double>(), Nullable.GetUnderlyingType(f.FieldType) ?? f.FieldType, CultureInfo.InvariantCulture));
    }
}
