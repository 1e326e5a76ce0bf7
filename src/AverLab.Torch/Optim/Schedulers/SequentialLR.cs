using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Runs schedulers one after another, switching at the milestone epochs (e.g. a LinearLR warm-up then
/// CosineAnnealingLR) (https://pytorch.org/docs/1.13/generated/torch.optim.lr_scheduler.SequentialLR.html).</summary>
public sealed class SequentialLR : LRScheduler
{
    private readonly LRScheduler[] schedulers;
    private int[] milestoneList;

    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<int> milestones, int last_epoch = -1)
        : base(optimizer)
    {
        for (var i = 0; i < schedulers.Count; i++)
            if (!ReferenceEquals(schedulers[i].optimizer, optimizer))
                throw new ArgumentException($"Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index {i} to be different than the optimizer passed in.");
        if (milestones.Count != schedulers.Count - 1)
            throw new ArgumentException($"Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers {schedulers.Count} and the number of milestones to be equal to {milestones.Count}");
        this.schedulers = schedulers.ToArray();
        milestoneList = milestones.ToArray();
        this.last_epoch = last_epoch + 1;
        // Reset the learning rates and undo the initial step the schedulers took when they were constructed.
        foreach (var g in optimizer.param_groups) g.lr = g.initial_lr!.Value;
        foreach (var s in this.schedulers) s.last_epoch -= 1;
        this.schedulers[0].initial_step();
        _last_lr = this.schedulers[0].get_last_lr();
    }

    public IReadOnlyList<LRScheduler> _schedulers => schedulers;
    public IReadOnlyList<int> _milestones => milestoneList;

    public override void step(int? epoch = null)
    {
        if (epoch != null) throw new NotSupportedException("SequentialLR.step() takes no epoch");
        last_epoch++;
        var idx = milestoneList.Count(m => m <= last_epoch); // bisect_right
        var scheduler = schedulers[idx];
        if (idx > 0 && milestoneList[idx - 1] == last_epoch) scheduler.step(0);
        else scheduler.step();
        _last_lr = scheduler.get_last_lr();
    }

    protected override double[] get_lr() => GroupLrs();

    protected override void WriteFields(JsonObject o)
    {
        o["_milestones"] = OptimJson.Ints(milestoneList);
        o["_schedulers"] = new JsonArray(schedulers.Select(s => (JsonNode?)s.state_dict()).ToArray());
    }

    protected override void ReadFields(JsonObject o, string source)
    {
        var ms = OptimJson.GetInts(o, "_milestones", source);
        var states = OptimJson.GetArray(o, "_schedulers", source);
        if (ms.Length != schedulers.Length - 1 || states.Count != schedulers.Length)
            throw new FormatException($"{source}: the state holds {states.Count} schedulers and {ms.Length} milestones, this SequentialLR has {schedulers.Length} and {schedulers.Length - 1}");
        for (var i = 0; i < schedulers.Length; i++)
            schedulers[i].load_state_dict(states[i] as JsonObject ?? throw new FormatException($"{source}: _schedulers[{i}] must be an object"),
                $"{source}: _schedulers[{i}]");
        milestoneList = ms;
    }
}
