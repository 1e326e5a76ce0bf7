using System.Globalization;
using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>An optimizer with typed options and a typed per-parameter state (PyTorch's optimizer.state).</summary>
public abstract class Optimizer<TOptions, TState> : Optimizer
    where TOptions : OptimizerOptions
    where TState : ParamState, new()
{
    /// <summary>State per parameter, by reference identity (a parameter without state has no entry).</summary>
    protected readonly Dictionary<Tensor, TState> state = new(ReferenceEqualityComparer.Instance);

    protected Optimizer(IEnumerable<ParamGroup> param_groups, TOptions defaults) : base(param_groups, defaults)
    {
    }

    /// <summary>The state of one parameter, or null before its first step.</summary>
    public TState? state_of(Tensor param) => state.TryGetValue(param, out var s) ? s : null;

    protected static TOptions OptionsOf(ParamGroup g) => (TOptions)g.options;

    /// <summary>Runs <paramref name="update"/> for each parameter that has a gradient, under no_grad, inside a
    /// dispose scope so that no temporary outlives the step.</summary>
    protected void ForEachParamWithGrad(Action<TOptions, Tensor, Tensor> update)
    {
        using var noGrad = torch.no_grad();
        foreach (var g in param_groups)
        {
            var o = OptionsOf(g);
            foreach (var p in g.@params)
            {
                using var scope = torch.NewDisposeScope();
                var grad = p.grad;
                if (grad == null) continue;
                update(o, p, grad);
            }
        }
    }

    protected TState StateFor(Tensor p)
    {
        if (!state.TryGetValue(p, out var s)) state[p] = s = new TState();
        return s;
    }

    public override OptimizerStateDict state_dict() => StateDict(copy: true);

    internal override OptimizerStateDict state_view() => StateDict(copy: false);

    private OptimizerStateDict StateDict(bool copy)
    {
        var groupsJson = new List<JsonObject>();
        var states = new SortedDictionary<int, ParamState>();
        var index = 0;
        foreach (var g in param_groups)
        {
            var indices = new List<int>();
            foreach (var p in g.@params)
            {
                if (state.TryGetValue(p, out var s)) states[index] = copy ? s.clone() : s;
                indices.Add(index++);
            }
            groupsJson.Add(GroupJson(g, indices));
        }
        return new OptimizerStateDict(name, groupsJson, states, ownsState: copy);
    }

    public override void load_state_dict(OptimizerStateDict state_dict)
    {
        var lookups = state_dict.state.ToDictionary(kv => kv.Key, kv =>
        {
            var named = kv.Value.named_tensors().ToDictionary(t => t.key, t => t.value, StringComparer.Ordinal);
            return (Func<string, Tensor?>)(k => named.GetValueOrDefault(k));
        });
        Load(state_dict.optimizer, state_dict.param_groups, lookups, "state_dict");
    }

    public override void load_from(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata,
        string prefix, string source)
    {
        string Meta(string key) => metadata.TryGetValue(prefix + key, out var v)
            ? v
            : throw new FormatException($"{source}: missing metadata \"{prefix}{key}\" (not an optimizer state written by AverLab)");
        var format = Meta("format");
        if (format != OptimizerStateDict.FormatTag)
            throw new FormatException($"{source}: optimizer state format \"{format}\" is not {OptimizerStateDict.FormatTag}");
        JsonArray groupsArray;
        try
        {
            groupsArray = JsonNode.Parse(Meta("param_groups")) as JsonArray
                ?? throw new FormatException($"{source}: metadata \"{prefix}param_groups\" must be a JSON array");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"{source}: metadata \"{prefix}param_groups\" is not valid JSON ({e.Message})");
        }
        var groupsJson = groupsArray.Select((n, i) => n as JsonObject
            ?? throw new FormatException($"{source}: param_groups[{i}] must be an object")).ToList();

        var perIndex = new Dictionary<int, Dictionary<string, Tensor>>();
        var statePrefix = prefix + "state.";
        foreach (var (fullName, t) in tensors)
        {
            if (!fullName.StartsWith(statePrefix, StringComparison.Ordinal)) continue;
            var rest = fullName[statePrefix.Length..];
            var dot = rest.IndexOf('.');
            if (dot <= 0 || !int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var idx))
                throw new FormatException($"{source}: tensor \"{fullName}\" is not named {statePrefix}<index>.<key>");
            if (!perIndex.TryGetValue(idx, out var d)) perIndex[idx] = d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            d[rest[(dot + 1)..]] = t;
        }
        var lookups = perIndex.ToDictionary(kv => kv.Key, kv => (Func<string, Tensor?>)(k => kv.Value.GetValueOrDefault(k)));
        Load(Meta("optimizer"), groupsJson, lookups, source);
    }

    /// <summary>Keys of PyTorch's group dicts that choose an implementation rather than the math.</summary>
    private static readonly HashSet<string> PyTorchFlags = new(StringComparer.Ordinal) { "foreach", "capturable", "differentiable", "fused" };

    private void Load(string optimizerName, IReadOnlyList<JsonObject> groupsJson, IReadOnlyDictionary<int, Func<string, Tensor?>> lookups,
        string source)
    {
        if (optimizerName != name)
            throw new FormatException($"{source}: the state is of a {optimizerName} optimizer, this one is {name}");
        if (groupsJson.Count != param_groups.Count)
            throw new FormatException($"{source}: loaded state has {groupsJson.Count} parameter groups, the optimizer has {param_groups.Count}");

        // Parse everything before changing anything, so a bad state leaves the optimizer as it was.
        var byIndex = new List<Tensor>();
        var newOptions = new List<(TOptions options, Dictionary<string, double> extra)>();
        for (var gi = 0; gi < groupsJson.Count; gi++)
        {
            var g = param_groups[gi];
            var json = groupsJson[gi];
            var where = $"{source}: param_groups[{gi}]";
            var indices = OptimJson.GetInts(json, "params", where);
            if (indices.Length != g.@params.Count)
                throw new FormatException($"{where} has {indices.Length} parameters, the optimizer's group has {g.@params.Count}");
            for (var k = 0; k < indices.Length; k++)
            {
                if (indices[k] != byIndex.Count)
                    throw new FormatException($"{where}: parameter indices must count up across groups, got {indices[k]} where {byIndex.Count} was expected");
                byIndex.Add(g.@params[k]);
            }
            var options = (TOptions)(g.options with { });
            options.ReadJson(json, where);
            options.Validate();
            var optionKeys = new JsonObject();
            options.WriteJson(optionKeys);
            var extra = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (key, node) in json)
            {
                if (key == "params" || optionKeys.ContainsKey(key) || node == null) continue;
                if (PyTorchFlags.Contains(key))
                {
                    // PyTorch's implementation switches; AverLab runs the single-tensor CPU algorithm, which is
                    // what foreach=False, capturable=False, differentiable=False, fused=False select.
                    if (node.GetValueKind() == System.Text.Json.JsonValueKind.True && key != "foreach")
                        throw new FormatException($"{where}: \"{key}\": true is not supported");
                    continue;
                }
                extra[key] = OptimJson.ToDouble(node, key, where);
            }
            newOptions.Add((options, extra));
        }

        var newState = new Dictionary<Tensor, TState>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach (var (index, get) in lookups)
            {
                if (index < 0 || index >= byIndex.Count)
                    throw new FormatException($"{source}: state for parameter {index}, but the optimizer has {byIndex.Count} parameters");
                var s = new TState();
                newState[byIndex[index]] = s;
                s.load(get, byIndex[index], $"{source}: state {index}");
            }
        }
        catch
        {
            foreach (var s in newState.Values) s.Dispose();
            throw;
        }

        for (var gi = 0; gi < newOptions.Count; gi++)
        {
            param_groups[gi].Replace(newOptions[gi].options, newOptions[gi].extra);
        }
        foreach (var s in state.Values) s.Dispose();
        state.Clear();
        foreach (var (p, s) in newState) state[p] = s;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var s in state.Values) s.Dispose();
        state.Clear();
    }
}
