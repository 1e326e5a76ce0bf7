using System.Text.Json.Nodes;
using AverLab.Training.Reports;
using AverLab.Training.Loop;

namespace AverLab.Training.Callbacks;

/// <summary>Extension points of the training loop (PyTorch Lightning's Callback): every hook is a no-op by default.
/// A callback that keeps counters saves them in <see cref="StateDict"/> so a resumed run continues exactly.</summary>
public abstract class Callback
{
    /// <summary>Key of this callback's state in a checkpoint; built from its settings so two instances differ.</summary>
    public virtual string StateKey => GetType().Name;

    /// <summary>Before the first epoch (also after a resume).</summary>
    public virtual void OnTrainStart(TrainerContext context) { }

    /// <summary>At the start of each epoch.</summary>
    public virtual void OnEpochStart(TrainerContext context) { }

    /// <summary>After each optimizer step, with the batch loss.</summary>
    public virtual void OnBatchEnd(TrainerContext context, int batch, double loss) { }

    /// <summary>After training and validation of an epoch, with its record.</summary>
    public virtual void OnEpochEnd(TrainerContext context, EpochRecord record) { }

    /// <summary>After the last epoch (or an early stop).</summary>
    public virtual void OnTrainEnd(TrainerContext context) { }

    /// <summary>Counters and best values only (never model weights).</summary>
    public virtual JsonObject StateDict() => [];

    public virtual void LoadStateDict(JsonObject state) { }
}
