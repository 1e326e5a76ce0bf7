using System.Text.Json.Nodes;
using AverLab.Training.Configuration;
using AverLab.Training.Reports;
using AverLab.Training.Loop;

namespace AverLab.Training.Callbacks;

/// <summary>PyTorch's ReduceLROnPlateau (torch.optim.lr_scheduler, threshold_mode "rel", eps 1e-8) stepped on a
/// monitored metric at the end of every epoch — e.g. the fusion seed's "reduce on train_loss, factor 0.5, patience 5".
/// Written out here rather than taken from TorchSharp because TorchSharp's has no state dict, and an exact resume
/// needs its counters (best, bad epochs, cooldown).</summary>
public sealed class ReduceLrOnPlateau(string monitor = "val_loss", MonitorMode mode = MonitorMode.Min, double factor = 0.1,
    int patience = 10, double threshold = 1e-4, int cooldown = 0, double minLr = 0) : Callback
{
    private const double Eps = 1e-8;
    private double best = mode == MonitorMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    private int badEpochs, cooldownCounter;

    public override string StateKey => $"ReduceLrOnPlateau[{monitor},{mode},{factor},{patience}]";

    public override void OnEpochEnd(TrainerContext context, EpochRecord record)
    {
        var value = record.Get(monitor);
        if (double.IsNaN(value)) return;
        if (IsBetter(value))
        {
            best = value;
            badEpochs = 0;
        }
        else badEpochs++;
        if (cooldownCounter > 0)
        {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs <= patience) return;
        foreach (var group in context.Optimizer.ParamGroups)
        {
            var old = group.LearningRate;
            var lr = Math.Max(old * factor, minLr);
            if (old - lr > Eps) group.LearningRate = lr;
        }
        cooldownCounter = cooldown;
        badEpochs = 0;
    }

    private bool IsBetter(double value) =>
        mode == MonitorMode.Min ? value < best * (1 - threshold) : value > best * (1 + threshold);

    public override JsonObject StateDict() => new()
    {
        ["best"] = double.IsInfinity(best) ? null : best, ["num_bad_epochs"] = badEpochs, ["cooldown_counter"] = cooldownCounter,
    };

    public override void LoadStateDict(JsonObject state)
    {
        best = state["best"]?.GetValue<double>() ?? (mode == MonitorMode.Min ? double.PositiveInfinity : double.NegativeInfinity);
        badEpochs = state["num_bad_epochs"]?.GetValue<int>() ?? 0;
        cooldownCounter = state["cooldown_counter"]?.GetValue<int>() ?? 0;
    }
}
