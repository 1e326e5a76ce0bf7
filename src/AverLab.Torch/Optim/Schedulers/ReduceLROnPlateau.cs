using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Reduces the learning rate by factor when a metric has stopped improving for patience epochs
/// (https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.ReduceLROnPlateau.html).</summary>
public sealed class ReduceLROnPlateau : ILRScheduler
{
    private double[] _last_lr;

    public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, int patience = 10,
        double threshold = 1e-4, string threshold_mode = "rel", int cooldown = 0, double[]? min_lr = null, double eps = 1e-8)
    {
        if (factor >= 1.0) throw new ArgumentException("Factor should be < 1.0.");
        this.optimizer = optimizer;
        var groups = optimizer.param_groups.Count;
        min_lr ??= [0.0];
        if (min_lr.Length != 1 && min_lr.Length != groups) throw new ArgumentException($"expected {groups} min_lrs, got {min_lr.Length}");
        min_lrs = min_lr.Length == 1 && groups != 1 ? Enumerable.Repeat(min_lr[0], groups).ToArray() : (double[])min_lr.Clone();
        this.factor = factor;
        this.patience = patience;
        this.cooldown = cooldown;
        this.eps = eps;
        this.mode = mode;
        this.threshold = threshold;
        this.threshold_mode = threshold_mode;
        init_is_better();
        _reset();
        _last_lr = optimizer.param_groups.Select(g => g.lr).ToArray();
    }

    public Optimizer optimizer { get; }
    public double factor { get; private set; }
    public double[] min_lrs { get; private set; }
    public int patience { get; private set; }
    public int cooldown { get; private set; }
    public int cooldown_counter { get; private set; }
    public string mode { get; private set; }
    public double threshold { get; private set; }
    public string threshold_mode { get; private set; }
    public double best { get; private set; }
    public int num_bad_epochs { get; private set; }
    public double mode_worse { get; private set; }
    public double eps { get; private set; }
    public int last_epoch { get; private set; }

    public bool in_cooldown => cooldown_counter > 0;

    public double[] get_last_lr() => (double[])_last_lr.Clone();

    private void _reset()
    {
        best = mode_worse;
        cooldown_counter = 0;
        num_bad_epochs = 0;
    }

    private void init_is_better()
    {
        if (mode != "min" && mode != "max") throw new ArgumentException($"mode {mode} is unknown!");
        if (threshold_mode != "rel" && threshold_mode != "abs") throw new ArgumentException($"threshold mode {threshold_mode} is unknown!");
        mode_worse = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
    }

    public bool is_better(double a, double best)
    {
        if (mode == "min" && threshold_mode == "rel") return a < best * (1.0 - threshold);
        if (mode == "min" && threshold_mode == "abs") return a < best - threshold;
        if (mode == "max" && threshold_mode == "rel") return a > best * (threshold + 1.0);
        return a > best + threshold;
    }

    /// <summary>Takes the epoch's metric (e.g. validation loss) and reduces the learning rates when it has not
    /// improved for more than patience epochs.</summary>
    public void step(double metrics, int? epoch = null)
    {
        var current = metrics;
        last_epoch = epoch ?? last_epoch + 1;
        if (is_better(current, best))
        {
            best = current;
            num_bad_epochs = 0;
        }
        else
        {
            num_bad_epochs++;
        }
        if (in_cooldown)
        {
            cooldown_counter--;
            num_bad_epochs = 0; // bad epochs in cooldown do not count
        }
        if (num_bad_epochs > patience)
        {
            _reduce_lr();
            cooldown_counter = cooldown;
            num_bad_epochs = 0;
        }
        _last_lr = optimizer.param_groups.Select(g => g.lr).ToArray();
    }

    public void step(Tensor metrics, int? epoch = null) => step(metrics.item<double>(), epoch);

    private void _reduce_lr()
    {
        var groups = optimizer.param_groups;
        for (var i = 0; i < groups.Count; i++)
        {
            var old_lr = groups[i].lr;
            var new_lr = Math.Max(old_lr * factor, min_lrs[i]);
            if (old_lr - new_lr > eps) groups[i].lr = new_lr;
        }
    }

    public JsonObject state_dict() => new()
    {
        ["type"] = nameof(ReduceLROnPlateau),
        ["factor"] = OptimJson.Number(factor),
        ["min_lrs"] = OptimJson.Numbers(min_lrs),
        ["patience"] = patience,
        ["cooldown"] = cooldown,
        ["cooldown_counter"] = cooldown_counter,
        ["mode"] = mode,
        ["threshold"] = OptimJson.Number(threshold),
        ["threshold_mode"] = threshold_mode,
        ["best"] = OptimJson.Number(best),
        ["num_bad_epochs"] = num_bad_epochs,
        ["mode_worse"] = OptimJson.Number(mode_worse),
        ["eps"] = OptimJson.Number(eps),
        ["last_epoch"] = last_epoch,
        ["_last_lr"] = OptimJson.Numbers(_last_lr),
    };

    public void load_state_dict(JsonObject s, string source = "state_dict")
    {
        var type = OptimJson.GetString(s, "type", source);
        if (type != nameof(ReduceLROnPlateau)) throw new FormatException($"{source}: the state is of a {type} scheduler, this one is ReduceLROnPlateau");
        var minLrs = OptimJson.GetDoubles(s, "min_lrs", source);
        var lastLr = OptimJson.GetDoubles(s, "_last_lr", source);
        if (minLrs.Length != optimizer.param_groups.Count || lastLr.Length != optimizer.param_groups.Count)
            throw new FormatException($"{source}: the state has {minLrs.Length} groups, the optimizer has {optimizer.param_groups.Count}");
        var newMode = OptimJson.GetString(s, "mode", source);
        var newThresholdMode = OptimJson.GetString(s, "threshold_mode", source);
        if (newMode != "min" && newMode != "max") throw new FormatException($"{source}: mode \"{newMode}\" is unknown");
        if (newThresholdMode != "rel" && newThresholdMode != "abs") throw new FormatException($"{source}: threshold_mode \"{newThresholdMode}\" is unknown");
        var values = (factor: OptimJson.GetDouble(s, "factor", source), patience: OptimJson.GetInt(s, "patience", source),
            cooldown: OptimJson.GetInt(s, "cooldown", source), cooldown_counter: OptimJson.GetInt(s, "cooldown_counter", source),
            threshold: OptimJson.GetDouble(s, "threshold", source), best: OptimJson.GetDouble(s, "best", source),
            num_bad_epochs: OptimJson.GetInt(s, "num_bad_epochs", source), eps: OptimJson.GetDouble(s, "eps", source),
            last_epoch: OptimJson.GetInt(s, "last_epoch", source));
        factor = values.factor;
        min_lrs = minLrs;
        patience = values.patience;
        cooldown = values.cooldown;
        cooldown_counter = values.cooldown_counter;
        mode = newMode;
        threshold = values.threshold;
        threshold_mode = newThresholdMode;
        best = values.best;
        num_bad_epochs = values.num_bad_epochs;
        eps = values.eps;
        last_epoch = values.last_epoch;
        _last_lr = lastLr;
        init_is_better();
    }
}
