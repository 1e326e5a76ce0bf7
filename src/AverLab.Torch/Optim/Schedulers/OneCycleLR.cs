using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>The 1cycle policy: the learning rate rises from max_lr/div_factor to max_lr, then anneals to
/// initial_lr/final_div_factor (cosine or linear; optionally three phases), while momentum (or Adam's beta1)
/// moves the other way (https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.OneCycleLR.html).
/// Call step() after every batch; stepping past total_steps is an error, as in PyTorch.</summary>
public sealed class OneCycleLR : LRScheduler
{
    private sealed record Phase(double end_step, string start_lr, string end_lr, string start_momentum, string end_momentum);

    private Phase[] phases = [];

    public OneCycleLR(Optimizer optimizer, double[] max_lr, int? total_steps = null, int? epochs = null, int? steps_per_epoch = null,
        double pct_start = 0.3, string anneal_strategy = "cos", bool cycle_momentum = true, double base_momentum = 0.85,
        double max_momentum = 0.95, double div_factor = 25.0, double final_div_factor = 1e4, bool three_phase = false,
        int last_epoch = -1) : base(PrepareGroups(optimizer, max_lr, div_factor, final_div_factor, last_epoch), last_epoch)
    {
        if (total_steps == null && epochs == null && steps_per_epoch == null)
            throw new ArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        if (total_steps != null)
        {
            if (total_steps <= 0) throw new ArgumentException($"Expected positive integer total_steps, but got {total_steps}");
            this.total_steps = total_steps.Value;
        }
        else
        {
            if (epochs is not > 0) throw new ArgumentException($"Expected positive integer epochs, but got {epochs}");
            if (steps_per_epoch is not > 0) throw new ArgumentException($"Expected positive integer steps_per_epoch, but got {steps_per_epoch}");
            this.total_steps = epochs.Value * steps_per_epoch.Value;
        }
        if (pct_start < 0 || pct_start > 1) throw new ArgumentException($"Expected float between 0 and 1 pct_start, but got {pct_start}");
        if (anneal_strategy != "cos" && anneal_strategy != "linear")
            throw new ArgumentException($"anneal_strategy must by one of 'cos' or 'linear', instead got {anneal_strategy}");
        this.anneal_strategy = anneal_strategy;
        this.three_phase = three_phase;
        phases = MakePhases(pct_start, this.total_steps, three_phase);

        this.cycle_momentum = cycle_momentum;
        if (cycle_momentum)
        {
            if (optimizer.defaults is not (IMomentumOptions or IBetasOptions))
                throw new ArgumentException("optimizer must support momentum with `cycle_momentum` option enabled");
            use_beta1 = optimizer.defaults is IBetasOptions;
            if (last_epoch == -1)
                foreach (var g in optimizer.param_groups)
                {
                    SetMomentum(g, max_momentum);
                    g.extra["max_momentum"] = max_momentum;
                    g.extra["base_momentum"] = base_momentum;
                }
        }
        initial_step();
    }

    // PyTorch writes initial_lr, max_lr and min_lr into the groups before the base constructor reads initial_lr.
    private static Optimizer PrepareGroups(Optimizer optimizer, double[] max_lr, double div_factor, double final_div_factor, int last_epoch)
    {
        var groups = optimizer.param_groups;
        if (max_lr.Length != 1 && max_lr.Length != groups.Count)
            throw new ArgumentException($"expected {groups.Count} values for max_lr, got {max_lr.Length}");
        if (last_epoch == -1)
            for (var i = 0; i < groups.Count; i++)
            {
                var max = max_lr.Length == 1 ? max_lr[0] : max_lr[i];
                groups[i].initial_lr = max / div_factor;
                groups[i].extra["max_lr"] = max;
                groups[i].extra["min_lr"] = groups[i].initial_lr!.Value / final_div_factor;
            }
        return optimizer;
    }

    private static Phase[] MakePhases(double pct_start, int total_steps, bool three_phase) => three_phase
        ?
        [
            new(pct_start * total_steps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            new(2 * pct_start * total_steps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
            new(total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
        ]
        :
        [
            new(pct_start * total_steps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
            new(total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
        ];

    public int total_steps { get; private set; }
    public string anneal_strategy { get; private set; }
    public bool three_phase { get; private set; }
    public bool cycle_momentum { get; private set; }
    public bool use_beta1 { get; private set; }

    private double Anneal(double start, double end, double pct) => anneal_strategy == "cos"
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;

    private void SetMomentum(ParamGroup g, double m)
    {
        if (g.options is IBetasOptions b) b.betas = (m, b.betas.beta2);
        else ((IMomentumOptions)g.options).momentum = m;
    }

    private static double Key(ParamGroup g, string key) =>
        g.extra.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"OneCycleLR: param group has no '{key}' (was the optimizer's state loaded?)");

    protected override double[] get_lr()
    {
        var step_num = last_epoch;
        if (step_num > total_steps)
            throw new InvalidOperationException($"Tried to step {step_num + 1} times. The specified number of total steps is {total_steps}");
        var lrs = new List<double>();
        foreach (var g in optimizer.param_groups)
        {
            double start_step = 0, computed_lr = 0, computed_momentum = 0;
            for (var i = 0; i < phases.Length; i++)
            {
                var phase = phases[i];
                var end_step = phase.end_step;
                if (step_num <= end_step || i == phases.Length - 1)
                {
                    var pct = (step_num - start_step) / (end_step - start_step);
                    computed_lr = Anneal(Key(g, phase.start_lr), Key(g, phase.end_lr), pct);
                    if (cycle_momentum) computed_momentum = Anneal(Key(g, phase.start_momentum), Key(g, phase.end_momentum), pct);
                    break;
                }
                start_step = phase.end_step;
            }
            lrs.Add(computed_lr);
            if (cycle_momentum) SetMomentum(g, computed_momentum);
        }
        return lrs.ToArray();
    }

    protected override void WriteFields(JsonObject o)
    {
        o["total_steps"] = total_steps;
        o["anneal_strategy"] = anneal_strategy;
        o["three_phase"] = three_phase;
        o["cycle_momentum"] = cycle_momentum;
        o["use_beta1"] = use_beta1;
        o["_schedule_phases"] = new JsonArray(phases.Select(p => (JsonNode?)new JsonObject
        {
            ["end_step"] = OptimJson.Number(p.end_step), ["start_lr"] = p.start_lr, ["end_lr"] = p.end_lr,
            ["start_momentum"] = p.start_momentum, ["end_momentum"] = p.end_momentum,
        }).ToArray());
    }

    protected override void ReadFields(JsonObject o, string source)
    {
        var strategy = OptimJson.GetString(o, "anneal_strategy", source);
        if (strategy != "cos" && strategy != "linear") throw new FormatException($"{source}: anneal_strategy \"{strategy}\" is not cos or linear");
        var keys = new HashSet<string> { "initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum" };
        string Name(JsonObject p, string k, string where)
        {
            var v = OptimJson.GetString(p, k, where);
            return keys.Contains(v) ? v : throw new FormatException($"{where}: \"{k}\" names an unknown group key \"{v}\"");
        }
        var newPhases = OptimJson.GetArray(o, "_schedule_phases", source).Select((n, i) =>
        {
            var where = $"{source}: _schedule_phases[{i}]";
            var p = n as JsonObject ?? throw new FormatException($"{where} must be an object");
            return new Phase(OptimJson.GetDouble(p, "end_step", where), Name(p, "start_lr", where), Name(p, "end_lr", where),
                Name(p, "start_momentum", where), Name(p, "end_momentum", where));
        }).ToArray();
        if (newPhases.Length == 0) throw new FormatException($"{source}: _schedule_phases is empty");
        total_steps = OptimJson.GetInt(o, "total_steps", source);
        anneal_strategy = strategy;
        three_phase = OptimJson.GetBool(o, "three_phase", source);
        cycle_momentum = OptimJson.GetBool(o, "cycle_momentum", source);
        use_beta1 = OptimJson.GetBool(o, "use_beta1", source);
        phases = newPhases;
    }
}
