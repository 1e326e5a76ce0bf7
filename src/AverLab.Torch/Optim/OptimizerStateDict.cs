using System.Text.Json.Nodes;
using AverLab.Torch.Serialization;

namespace AverLab.Torch.Optim;

/// <summary>An optimizer's state_dict(), shaped like PyTorch's: <c>state</c> maps a parameter's index (counted
/// across groups in order) to its <see cref="ParamState"/>, and <c>param_groups</c> holds each group's
/// hyperparameters plus the indices of its parameters. Saved as safetensors: tensors named
/// <c>state.&lt;index&gt;.&lt;key&gt;</c> (PyTorch's keys: exp_avg, step, momentum_buffer, ...) and metadata
/// <c>optimizer</c> (the class name) and <c>param_groups</c> (JSON). Owns its tensors: dispose it.</summary>
public sealed class OptimizerStateDict : IDisposable
{
    public const string FormatTag = "averlab.optim.v1";

    private readonly bool ownsState;

    public OptimizerStateDict(string optimizer, IReadOnlyList<JsonObject> param_groups, IReadOnlyDictionary<int, ParamState> state)
        : this(optimizer, param_groups, state, ownsState: true)
    {
    }

    /// <summary>With ownsState false the state is the optimizer's own (a view for saving without a copy).</summary>
    internal OptimizerStateDict(string optimizer, IReadOnlyList<JsonObject> param_groups, IReadOnlyDictionary<int, ParamState> state,
        bool ownsState)
    {
        this.optimizer = optimizer;
        this.param_groups = param_groups;
        this.state = state;
        this.ownsState = ownsState;
    }

    /// <summary>The optimizer's class name (SGD, Adam, AdamW, RMSprop, Adagrad).</summary>
    public string optimizer { get; }

    /// <summary>Per group: every hyperparameter under PyTorch's key, the scheduler keys (initial_lr, ...), and
    /// "params": the indices of the group's parameters.</summary>
    public IReadOnlyList<JsonObject> param_groups { get; }

    public IReadOnlyDictionary<int, ParamState> state { get; }

    /// <summary>Named tensors and string metadata for a safetensors file; <paramref name="prefix"/> (e.g.
    /// "optimizer.") lets one checkpoint hold a model and an optimizer. The tensors are this state's own.</summary>
    public (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) to_safetensors(string prefix = "")
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (index, s) in state)
            foreach (var (key, t) in s.named_tensors())
                tensors[$"{prefix}state.{index}.{key}"] = t;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [prefix + "format"] = FormatTag,
            [prefix + "optimizer"] = optimizer,
            [prefix + "param_groups"] = new JsonArray(param_groups.Select(g => (JsonNode?)g.DeepClone()).ToArray()).ToJsonString(),
        };
        return (tensors, metadata);
    }

    /// <summary>Writes this state alone to a safetensors file (atomically).</summary>
    public void save(string path)
    {
        var (tensors, metadata) = to_safetensors();
        SafeTensors.Save(path, tensors, metadata);
    }

    public void Dispose()
    {
        if (ownsState)
            foreach (var s in state.Values) s.Dispose();
    }
}
