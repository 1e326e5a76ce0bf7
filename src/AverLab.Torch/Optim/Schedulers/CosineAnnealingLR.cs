using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Cosine annealing from the base learning rate to eta_min over T_max epochs, then back up
/// (https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html). step() uses
/// PyTorch's recursive form, so it composes with other changes to the learning rate exactly as PyTorch does.</summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    public CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min = 0, int last_epoch = -1) : base(optimizer, last_epoch)
    {
        if (T_max <= 0) throw new ArgumentException($"T_max must be positive, got {T_max}");
        this.T_max = T_max;
        this.eta_min = eta_min;
        initial_step();
    }

    public int T_max { get; private set; }
    public double eta_min { get; private set; }

    protected override double[] get_lr()
    {
        var groups = GroupLrs();
        if (last_epoch == 0) return groups;
        if (_step_count == 1 && last_epoch > 0)
            return base_lrs.Select(b => eta_min + (b - eta_min) * (1 + Math.Cos(last_epoch * Math.PI / T_max)) / 2).ToArray();
        if ((last_epoch - 1 - T_max) % (2 * T_max) == 0)
            return groups.Select((lr, i) => lr + (base_lrs[i] - eta_min) * (1 - Math.Cos(Math.PI / T_max)) / 2).ToArray();
        return groups.Select(lr => (1 + Math.Cos(Math.PI * last_epoch / T_max)) /
                                   (1 + Math.Cos(Math.PI * (last_epoch - 1) / T_max)) * (lr - eta_min) + eta_min).ToArray();
    }

    protected override double[] get_closed_form_lr() =>
        base_lrs.Select(b => eta_min + (b - eta_min) * (1 + Math.Cos(Math.PI * last_epoch / T_max)) / 2).ToArray();

    protected override void WriteFields(JsonObject o)
    {
        o["T_max"] = T_max;
        o["eta_min"] = OptimJson.Number(eta_min);
    }

    protected override void ReadFields(JsonObject o, string source)
    {
        T_max = OptimJson.GetInt(o, "T_max", source);
        eta_min = OptimJson.GetDouble(o, "eta_min", source);
    }
}
