namespace AverLab.Training.Loop;

/// <summary>A progress report from the training loop, for a progress bar (the CLI renders it with Spectre.Console).</summary>
public sealed record TrainProgress(string Phase, int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy,
    double Lr, TimeSpan Elapsed);
