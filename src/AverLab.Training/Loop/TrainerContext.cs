using TorchSharp.Modules;
using AverLab.Training.Reports;
using static TorchSharp.torch;

namespace AverLab.Training.Loop;

/// <summary>What callbacks see of a running fit.</summary>
public sealed class TrainerContext
{
    public required nn.Module Model { get; init; }
    public required OptimizerHelper Optimizer { get; init; }
    public optim.lr_scheduler.LRScheduler? Scheduler { get; init; }
    public required string CheckpointDir { get; init; }
    public List<EpochRecord> History { get; } = [];
    /// <summary>1-based number of the epoch in progress (or just finished).</summary>
    public int Epoch { get; internal set; }
    public int Epochs { get; init; }
    /// <summary>Set by a callback to end training after this epoch; the text says why.</summary>
    public string? StopRequested { get; set; }
    public double CurrentLr => Optimizer.ParamGroups.First().LearningRate;
}
