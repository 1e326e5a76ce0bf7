using AverLab.Torch.Serialization;

namespace AverLab.Torch.Optim;

/// <summary>One safetensors file that resumes training exactly: the model's tensors under "model.", the
/// optimizer's state under "optimizer." (tensors optimizer.state.&lt;index&gt;.&lt;key&gt;, metadata
/// optimizer.param_groups), and the scheduler's state as JSON metadata "scheduler". Written atomically.</summary>
public static class TrainingCheckpoint
{
    public const string ModelPrefix = "model.";
    public const string OptimizerPrefix = "optimizer.";

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> model, Optimizer optimizer, ILRScheduler? scheduler = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var sd = optimizer.state_view();
        var (tensors, meta) = sd.to_safetensors(OptimizerPrefix);
        foreach (var (name, t) in model) tensors[ModelPrefix + name] = t;
        if (scheduler != null) meta["scheduler"] = scheduler.state_dict().ToJsonString();
        if (metadata != null)
            foreach (var (k, v) in metadata)
                meta.TryAdd(k, v);
        SafeTensors.Save(path, tensors, meta);
    }

    /// <summary>Restores the optimizer and scheduler and returns the model's tensors (new tensors, the caller's;
    /// copy them into the model with load_state_dict or copy_). Errors name the file and the problem; nothing is
    /// changed when the file is bad.</summary>
    public static Dictionary<string, Tensor> Load(string path, Optimizer optimizer, ILRScheduler? scheduler = null)
    {
        var (tensors, meta) = SafeTensors.LoadWithMetadata(path);
        try
        {
            System.Text.Json.Nodes.JsonObject? schedulerState = null;
            if (scheduler != null)
            {
                if (!meta.TryGetValue("scheduler", out var json)) throw new FormatException($"{path}: the checkpoint holds no scheduler state");
                schedulerState = OptimJson.Parse(json, $"{path}: scheduler");
            }
            optimizer.load_from(tensors, meta, OptimizerPrefix, path);
            scheduler?.load_state_dict(schedulerState!, $"{path}: scheduler");
            var model = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (name, t) in tensors)
                if (name.StartsWith(ModelPrefix, StringComparison.Ordinal)) model[name[ModelPrefix.Length..]] = t;
            foreach (var (name, t) in tensors)
                if (!name.StartsWith(ModelPrefix, StringComparison.Ordinal)) t.Dispose();
            return model;
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }
}
