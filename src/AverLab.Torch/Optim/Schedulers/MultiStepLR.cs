using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Multiplies the learning rate by gamma at each milestone epoch; a milestone listed twice applies gamma
/// twice (https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.MultiStepLR.html).</summary>
public sealed class MultiStepLR : LRScheduler
{
    private int[] milestoneList;

    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int last_epoch = -1)
        : base(optimizer, last_epoch)
    {
        milestoneList = milestones.OrderBy(m => m).ToArray();
        this.gamma = gamma;
        initial_step();
    }

    /// <summary>The milestones, sorted, repeats kept (PyTorch keeps a Counter).</summary>
    public IReadOnlyList<int> milestones => milestoneList;
    public double gamma { get; private set; }

    protected override double[] get_lr()
    {
        var count = milestoneList.Count(m => m == last_epoch);
        if (count == 0) return GroupLrs();
        return GroupLrs().Select(lr => lr * Math.Pow(gamma, count)).ToArray();
    }

    protected override double[] get_closed_form_lr()
    {
        var passed = milestoneList.Count(m => m <= last_epoch); // bisect_right over the sorted milestones
        return base_lrs.Select(b => b * Math.Pow(gamma, passed)).ToArray();
    }

    protected override void WriteFields(JsonObject o)
    {
        o["milestones"] = OptimJson.Ints(milestoneList);
        o["gamma"] = OptimJson.Number(gamma);
    }

    protected override void ReadFields(JsonObject o, string source)
    {
        milestoneList = OptimJson.GetInts(o, "milestones", source).OrderBy(m => m).ToArray();
        gamma = OptimJson.GetDouble(o, "gamma", source);
    }
}
