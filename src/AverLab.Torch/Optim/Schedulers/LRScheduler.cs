using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Base of the epoch-based schedulers (PyTorch 1.13's _LRScheduler): the constructor records
/// initial_lr in each group and takes the initial step; step() advances last_epoch and writes the
/// chainable get_lr() (or, when an epoch is given, the closed form) into the groups.</summary>
/// <remarks>Subclasses set their fields and then call <see cref="initial_step"/> at the end of their
/// constructor (PyTorch sets them before calling the base constructor, which C# cannot).</remarks>
public abstract class LRScheduler : ILRScheduler
{
    protected LRScheduler(Optimizer optimizer, int last_epoch = -1)
    {
        this.optimizer = optimizer;
        if (last_epoch == -1)
        {
            foreach (var g in optimizer.param_groups) g.initial_lr ??= g.lr;
        }
        else
        {
            for (var i = 0; i < optimizer.param_groups.Count; i++)
                if (optimizer.param_groups[i].initial_lr == null)
                    throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer");
        }
        base_lrs = optimizer.param_groups.Select(g => g.initial_lr!.Value).ToArray();
        this.last_epoch = last_epoch;
        _last_lr = optimizer.param_groups.Select(g => g.lr).ToArray();
    }

    public Optimizer optimizer { get; }
    public double[] base_lrs { get; protected set; }
    public int last_epoch { get; set; }
    public int _step_count { get; protected set; }
    protected double[] _last_lr;

    /// <summary>PyTorch's _initial_step: resets the step count and takes the first step.</summary>
    protected internal void initial_step()
    {
        _step_count = 0;
        step();
    }

    public double[] get_last_lr() => (double[])_last_lr.Clone();

    /// <summary>The chainable form: the next learning rates from the current ones.</summary>
    protected abstract double[] get_lr();

    /// <summary>The closed form used by step(epoch), or null when the scheduler has none.</summary>
    protected virtual double[]? get_closed_form_lr() => null;

    /// <summary>Advances one epoch (or jumps to <paramref name="epoch"/>, using the closed form where it exists).</summary>
    public virtual void step(int? epoch = null)
    {
        _step_count++;
        double[] values;
        if (epoch == null)
        {
            last_epoch++;
            values = get_lr();
        }
        else
        {
            last_epoch = epoch.Value;
            values = get_closed_form_lr() ?? get_lr();
        }
        var groups = optimizer.param_groups;
        for (var i = 0; i < groups.Count && i < values.Length; i++) groups[i].lr = values[i];
        _last_lr = groups.Select(g => g.lr).ToArray();
    }

    protected double[] GroupLrs() => optimizer.param_groups.Select(g => g.lr).ToArray();

    public virtual JsonObject state_dict()
    {
        var o = new JsonObject
        {
            ["type"] = GetType().Name,
            ["base_lrs"] = OptimJson.Numbers(base_lrs),
            ["last_epoch"] = last_epoch,
            ["_step_count"] = _step_count,
            ["_last_lr"] = OptimJson.Numbers(_last_lr),
        };
        WriteFields(o);
        return o;
    }

    public virtual void load_state_dict(JsonObject state_dict, string source = "state_dict")
    {
        var type = OptimJson.GetString(state_dict, "type", source);
        if (type != GetType().Name) throw new FormatException($"{source}: the state is of a {type} scheduler, this one is {GetType().Name}");
        var lrs = OptimJson.GetDoubles(state_dict, "base_lrs", source);
        var last = OptimJson.GetDoubles(state_dict, "_last_lr", source);
        if (lrs.Length != optimizer.param_groups.Count || last.Length != optimizer.param_groups.Count)
            throw new FormatException($"{source}: the state has {lrs.Length} learning rates, the optimizer has {optimizer.param_groups.Count} groups");
        var lastEpoch = OptimJson.GetInt(state_dict, "last_epoch", source);
        var stepCount = OptimJson.GetInt(state_dict, "_step_count", source);
        ReadFields(state_dict, source);
        base_lrs = lrs;
        _last_lr = last;
        last_epoch = lastEpoch;
        _step_count = stepCount;
    }

    /// <summary>Writes the subclass's own fields (its hyperparameters and counters), as PyTorch's state_dict does.</summary>
    protected abstract void WriteFields(JsonObject o);

    protected abstract void ReadFields(JsonObject o, string source);
}
