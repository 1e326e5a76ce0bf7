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
    /// <summary>Data-parallel training (training.distributed: mpi): this process is one rank; its loader serves its
    /// shard of every batch, gradients are all-reduced before each step. Null: one process trains alone.</summary>
    public Distributed.DataParallel? DataParallel { get; init; }
    /// <summary>Write checkpoints/last.safetensors after every epoch (false on data-parallel ranks other than 0).</summary>
    public bool WritesState { get; init; } = true;
    /// <summary>Test hook for kill -9 tests: after this (epoch, batch) the trainer writes <see cref="Trainer.HaltMarker"/>
    /// in the checkpoint folder and blocks until the process is killed, so a test kills it mid-epoch for certain
    /// instead of racing a timer. Set from the environment variable AVERLAB_TEST_HALT_AT="epoch:batch".</summary>
    public (int Epoch, int Batch)? HaltAt { get; init; } = HaltAtFromEnvironment();

    internal static (int, int)? HaltAtFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("AVERLAB_TEST_HALT_AT");
        if (string.IsNullOrEmpty(value)) return null;
        var parts = value.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], out var e) && int.TryParse(parts[1], out var b) && e > 0 && b > 0) return (e, b);
        throw new ArgumentException($"AVERLAB_TEST_HALT_AT='{value}': expected 'epoch:batch' with both >= 1");
    }
}
