using System.Text.Json.Nodes;
using AverLab.Torch.Serialization;

namespace AverLab.Torch.Optim;

/// <summary>Base of the optimizers (https://pytorch.org/docs/1.13/optim.html): parameter groups with their own
/// hyperparameters, step(), zero_grad(), and a state_dict() that resumes training exactly. The math is managed
/// code over in-place tensor ops under no_grad, following PyTorch 1.13's single-tensor (foreach=False) code.</summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<ParamGroup> groups = new();

    protected Optimizer(IEnumerable<ParamGroup> param_groups, OptimizerOptions defaults)
    {
        defaults.Validate();
        this.defaults = defaults;
        foreach (var g in param_groups) add_param_group(g);
        if (groups.Count == 0 || groups.All(g => g.@params.Count == 0))
            throw new ArgumentException("optimizer got an empty parameter list");
    }

    /// <summary>The options a group gets when it names none (PyTorch's optimizer.defaults).</summary>
    public OptimizerOptions defaults { get; }

    public IReadOnlyList<ParamGroup> param_groups => groups;

    /// <summary>PyTorch's class name: SGD, Adam, AdamW, RMSprop, Adagrad.</summary>
    public abstract string name { get; }

    public void add_param_group(ParamGroup group)
    {
        group.Attach(defaults);
        foreach (var p in group.@params)
        {
            if (!p.is_leaf) throw new ArgumentException("can't optimize a non-leaf Tensor");
            if (groups.Any(g => g.@params.Any(q => ReferenceEquals(q, p))) || group.@params.Count(q => ReferenceEquals(q, p)) > 1)
                throw new ArgumentException("some parameters appear in more than one parameter group");
        }
        groups.Add(group);
        OnGroupAdded(group);
    }

    /// <summary>Hook for optimizers that create state up front (Adagrad).</summary>
    protected virtual void OnGroupAdded(ParamGroup group)
    {
    }

    /// <summary>Performs one optimization step over every parameter that has a gradient.</summary>
    public abstract void step();

    /// <summary>Re-evaluates the loss with gradients enabled, then steps; returns the closure's loss.</summary>
    public Tensor step(Func<Tensor> closure)
    {
        Tensor loss;
        using (torch.enable_grad()) loss = closure();
        step();
        return loss;
    }

    /// <summary>Clears the gradients: to none (the default, as in PyTorch 2) or to zeros.</summary>
    public void zero_grad(bool set_to_none = true)
    {
        foreach (var g in groups)
            foreach (var p in g.@params)
            {
                using var grad = p.grad;
                if (grad == null) continue;
                if (set_to_none)
                {
                    p.grad = null;
                    continue;
                }
                if (grad.grad_fn != null) grad.detach_();
                else grad.requires_grad_(false);
                grad.zero_();
            }
    }

    /// <summary>A deep copy of the optimizer's state and hyperparameters (dispose it).</summary>
    public abstract OptimizerStateDict state_dict();

    /// <summary>The state without copying its tensors (for writing a file); disposing it frees nothing.</summary>
    internal abstract OptimizerStateDict state_view();

    /// <summary>Restores state and hyperparameters (the parameters themselves stay). Everything is checked
    /// first (class, group count and sizes, tensor shapes and dtypes): a bad state leaves this optimizer as it was.</summary>
    public abstract void load_state_dict(OptimizerStateDict state_dict);

    /// <summary>Writes <see cref="state_dict"/> to a safetensors file, atomically.</summary>
    public void save(string path)
    {
        using var sd = state_view();
        sd.save(path);
    }

    /// <summary>Loads a file written by <see cref="save"/>; errors name the file and the problem.</summary>
    public void load(string path)
    {
        using var scope = torch.NewDisposeScope();
        var (tensors, metadata) = SafeTensors.LoadWithMetadata(path);
        load_from(tensors, metadata, "", path);
    }

    /// <summary>Loads the entries under <paramref name="prefix"/> of a safetensors file's tensors and metadata.</summary>
    public abstract void load_from(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata,
        string prefix, string source);

    /// <summary>Frees the state tensors (not the parameters).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The JSON of one group: hyperparameters, scheduler keys and parameter indices.</summary>
    protected static JsonObject GroupJson(ParamGroup g, IEnumerable<int> indices)
    {
        var o = new JsonObject();
        g.options.WriteJson(o);
        foreach (var (k, v) in g.extra) o[k] = OptimJson.Number(v);
        o["params"] = OptimJson.Ints(indices);
        return o;
    }
}
