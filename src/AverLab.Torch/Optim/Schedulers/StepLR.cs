using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Multiplies the learning rate by gamma every step_size epochs
/// (https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.StepLR.html).</summary>
public sealed class StepLR : LRScheduler
{
    public StepLR(Optimizer optimizer, int step_size, double gamma = 0.1, int last_epoch = -1) : base(optimizer, last_epoch)
    {
        if (step_size <= 0) throw new ArgumentException($"step_size must be positive, got {step_size}");
        this.step_size = step_size;
        this.gamma = gamma;
        initial_step();
    }

    public int step_size { get; private set; }
    public double gamma { get; private set; }

    protected override double[] get_lr() =>
        last_epoch == 0 || last_epoch % step_size != 0 ? GroupLrs() : GroupLrs().Select(lr => lr * gamma).ToArray();

    protected override double[] get_closed_form_lr() =>
        base_lrs.Select(b => b * Math.Pow(gamma, FloorDiv(last_epoch, step_size))).ToArray();

    internal static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);

    protected override void WriteFields(JsonObject o)
    {
        o["step_size"] = step_size;
        o["gamma"] = OptimJson.Number(gamma);
    }

    protected override void ReadFields(JsonObject o, string source)
    {
        step_size = OptimJson.GetInt(o, "step_size", source);
        gamma = OptimJson.GetDouble(o, "gamma", source);
    }
}
