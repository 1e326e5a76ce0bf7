using System.Text.Json.Nodes;
using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;
using AverLab.Training.Configuration;
using AverLab.Training.Reports;
using AverLab.Training.Loop;

namespace AverLab.Training.Callbacks;

/// <summary>Why training stopped early.</summary>
public enum StopReason { None, Patience, NonFiniteMetric }

/// <summary>Stops training when the monitored metric has not improved by more than min_delta for `patience`
/// epochs (Keras/Lightning semantics: the counter resets on improvement). With restore_best, the model's weights
/// from the best epoch are put back at the end.</summary>
public sealed class EarlyStopping(string monitor = "val_loss", MonitorMode mode = MonitorMode.Min, int patience = 10,
    double minDelta = 0, bool restoreBest = false) : Callback, IDisposable
{
    private readonly MetricMonitor watch = new(monitor, mode, minDelta);
    private Dictionary<string, Tensor>? bestWeights;

    public double Best { get; private set; } = double.NaN;
    public int Wait { get; private set; }
    public StopReason Reason { get; private set; }
    public int StoppedEpoch { get; private set; }

    public override string StateKey => $"EarlyStopping[{monitor},{mode},{patience},{minDelta}]";

    public override void OnEpochEnd(TrainerContext context, EpochRecord record)
    {
        var value = record.Get(monitor);
        if (double.IsNaN(value) && monitor.StartsWith("val_", StringComparison.Ordinal)) return; // no validation this epoch
        if (watch.IsImprovement(value, Best))
        {
            Best = value;
            Wait = 0;
            if (restoreBest) SnapshotWeights(context);
            return;
        }
        if (!double.IsFinite(value))
        {
            Reason = StopReason.NonFiniteMetric;
        }
        else if (++Wait < patience)
        {
            return;
        }
        else
        {
            Reason = StopReason.Patience;
        }
        StoppedEpoch = record.Epoch;
        context.StopRequested = $"early stopping: {watch} did not improve for {patience} epochs (best {Best:G6})";
    }

    public override void OnTrainEnd(TrainerContext context)
    {
        if (!restoreBest || bestWeights == null) return;
        StateDicts.LoadStrict(context.Model, bestWeights);
    }

    private void SnapshotWeights(TrainerContext context)
    {
        DisposeWeights();
        using (torch.no_grad())
            bestWeights = context.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
    }

    public override JsonObject StateDict() => new() { ["best"] = double.IsNaN(Best) ? null : Best, ["wait"] = Wait };

    public override void LoadStateDict(JsonObject state)
    {
        Best = state["best"]?.GetValue<double>() ?? double.NaN;
        Wait = state["wait"]?.GetValue<int>() ?? 0;
    }

    private void DisposeWeights()
    {
        if (bestWeights == null) return;
        foreach (var t in bestWeights.Values) t.Dispose();
        bestWeights = null;
    }

    public void Dispose() => DisposeWeights();
}
