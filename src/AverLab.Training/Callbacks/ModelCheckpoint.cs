using AverLab.Models;
using System.Globalization;
using System.Text.Json.Nodes;
using AverLab.IO;
using AverLab.Training.Configuration;
using AverLab.Training.Reports;
using AverLab.Training.Loop;
using AverLab.Runs;

namespace AverLab.Training.Callbacks;

/// <summary>Saves the model's weights to checkpoints/best.safetensors whenever the monitored metric improves
/// (atomically: a crash never leaves half a file). The complete resume state is written by the trainer itself
/// to checkpoints/last.safetensors after every epoch.</summary>
public sealed class ModelCheckpoint(string monitor = "val_acc", MonitorMode mode = MonitorMode.Max) : Callback
{
    private readonly MetricMonitor watch = new(monitor, mode);

    public double Best { get; private set; } = double.NaN;
    public int BestEpoch { get; private set; }
    public string FileName { get; init; } = RunLayout.BestCheckpointName;

    public override string StateKey => $"ModelCheckpoint[{monitor},{mode}]";

    public override void OnEpochEnd(TrainerContext context, EpochRecord record)
    {
        var value = record.Get(monitor);
        if (!watch.IsImprovement(value, Best)) return;
        Best = value;
        BestEpoch = record.Epoch;
        TensorFile.Save(Path.Combine(context.CheckpointDir, FileName), context.Model.state_dict(), new Dictionary<string, string>
        {
            ["epoch"] = record.Epoch.ToString(CultureInfo.InvariantCulture),
            ["monitor"] = monitor,
            ["value"] = value.ToString("R", CultureInfo.InvariantCulture),
        });
    }

    public override JsonObject StateDict() => new() { ["best"] = double.IsNaN(Best) ? null : Best, ["best_epoch"] = BestEpoch };

    public override void LoadStateDict(JsonObject state)
    {
        Best = state["best"]?.GetValue<double>() ?? double.NaN;
        BestEpoch = state["best_epoch"]?.GetValue<int>() ?? 0;
    }
}
