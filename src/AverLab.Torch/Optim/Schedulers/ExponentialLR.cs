using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Multiplies the learning rate by gamma every epoch
/// (https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.ExponentialLR.html).</summary>
public sealed class ExponentialLR : LRScheduler
{
    public ExponentialLR(Optimizer optimizer, double gamma, int last_epoch = -1) : base(optimizer, last_epoch)
    {
        this.gamma = gamma;
        initial_step();
    }

    public double gamma { get; private set; }

    protected override double[] get_lr() => last_epoch == 0 ? GroupLrs() : GroupLrs().Select(lr => lr * gamma).ToArray();

    protected override double[] get_closed_form_lr() => base_lrs.Select(b => b * Math.Pow(gamma, last_epoch)).ToArray();

    protected override void WriteFields(JsonObject o) => o["gamma"] = OptimJson.Number(gamma);

    protected override void ReadFields(JsonObject o, string source) => gamma = OptimJson.GetDouble(o, "gamma", source);
}
