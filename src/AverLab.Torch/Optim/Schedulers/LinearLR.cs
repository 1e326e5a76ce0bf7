using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Scales the learning rate by a factor that moves linearly from start_factor to end_factor over
/// total_iters epochs; the usual warm-up (https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.LinearLR.html).</summary>
public sealed class LinearLR : LRScheduler
{
    public LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, int total_iters = 5,
        int last_epoch = -1) : base(optimizer, last_epoch)
    {
        if (start_factor > 1.0 || start_factor < 0)
            throw new ArgumentException("Starting multiplicative factor expected to be between 0 and 1.");
        if (end_factor > 1.0 || end_factor < 0)
            throw new ArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        this.start_factor = start_factor;
        this.end_factor = end_factor;
        this.total_iters = total_iters;
        initial_step();
    }

    public double start_factor { get; private set; }
    public double end_factor { get; private set; }
    public int total_iters { get; private set; }

    protected override double[] get_lr()
    {
        var groups = GroupLrs();
        if (last_epoch == 0) return groups.Select(lr => lr * start_factor).ToArray();
        if (last_epoch > total_iters) return groups;
        return groups.Select(lr => lr * (1.0 + (end_factor - start_factor) /
            (total_iters * start_factor + (last_epoch - 1) * (end_factor - start_factor)))).ToArray();
    }

    protected override double[] get_closed_form_lr() =>
        base_lrs.Select(b => b * (start_factor + (end_factor - start_factor) * Math.Min(total_iters, last_epoch) / total_iters)).ToArray();

    protected override void WriteFields(JsonObject o)
    {
        o["start_factor"] = OptimJson.Number(start_factor);
        o["end_factor"] = OptimJson.Number(end_factor);
        o["total_iters"] = total_iters;
    }

    protected override void ReadFields(JsonObject o, string source)
    {
        start_factor = OptimJson.GetDouble(o, "start_factor", source);
        end_factor = OptimJson.GetDouble(o, "end_factor", source);
        total_iters = OptimJson.GetInt(o, "total_iters", source);
    }
}
