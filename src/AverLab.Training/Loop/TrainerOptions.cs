namespace AverLab.Training.Loop;

/// <summary>Settings of one fit.</summary>
public sealed record TrainerOptions
{
    public int Epochs { get; init; } = 10;
    /// <summary>Max global gradient norm (clip_grad_norm_); null disables clipping.</summary>
    public double? GradClip { get; init; }
    public double LabelSmoothing { get; init; }
    /// <summary>Per-class loss weights (cross_entropy weight), or null.</summary>
    public float[]? ClassWeights { get; init; }
    /// <summary>Step the LR scheduler after every batch (OneCycleLR) rather than every epoch.</summary>
    public bool SchedulerPerBatch { get; init; }
    /// <summary>Where last.safetensors (full resume state) and the callbacks' checkpoints go.</summary>
    public required string CheckpointDir { get; init; }
    /// <summary>Resume from this last.safetensors (written by an earlier run of the same config).</summary>
    public string? ResumeFrom { get; init; }
    /// <summary>Stop after this many epochs of this call (used by tests to simulate a killed run); null = all.</summary>
    public int? StopAfterEpochs { get; init; }
}
