using System.Text.Json.Nodes;
using AverLab.Torch.Optim;
using AverLab.Training.Configuration;
using AverLab.Training.Reports;
using AverLab.Training.Loop;
using static AverLab.Torch.torch;

namespace AverLab.Training.Callbacks;

/// <summary>Steps PyTorch's ReduceLROnPlateau (torch.optim) on a monitored metric at the end of every epoch — e.g.
/// the fusion seed's "reduce on train_loss, factor 0.5, patience 5".</summary>
public sealed class ReduceLrOnPlateau(string monitor = "val_loss", MonitorMode mode = MonitorMode.Min, double factor = 0.1,
    int patience = 10, double threshold = 1e-4, int cooldown = 0, double minLr = 0) : Callback
{
    private ReduceLROnPlateau? scheduler;
    private JsonObject? pending;

    public override string StateKey => $"ReduceLrOnPlateau[{monitor},{mode},{factor},{patience}]";

    public override void OnTrainStart(TrainerContext context)
    {
        scheduler = optim.lr_scheduler.ReduceLROnPlateau(context.Optimizer, mode == MonitorMode.Max ? "max" : "min", factor,
            patience, threshold, "rel", cooldown, minLr);
        if (pending != null) scheduler.load_state_dict(pending, StateKey);
    }

    public override void OnEpochEnd(TrainerContext context, EpochRecord record)
    {
        var value = record.Get(monitor);
        if (double.IsNaN(value)) return;
        scheduler!.step(value);
    }

    public override JsonObject StateDict() => scheduler?.state_dict() ?? pending ?? [];

    public override void LoadStateDict(JsonObject state) => pending = state;
}
