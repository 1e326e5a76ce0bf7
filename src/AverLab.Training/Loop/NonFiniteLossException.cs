namespace AverLab.Training.Loop;

/// <summary>The loss became NaN or infinite: training stops; the last good checkpoint (end of the previous epoch)
/// is kept untouched.</summary>
public sealed class NonFiniteLossException(int epoch, int batch, double loss, string? lastGood)
    : Exception($"the training loss is {loss} at epoch {epoch}, batch {batch}: training stopped. " +
                (lastGood != null ? $"The last good checkpoint is {lastGood}. " : "No epoch had finished, so no checkpoint was written. ") +
                "Lower the learning rate, enable gradient clipping (training.grad_clip) or check the inputs for NaN.")
{
    public int Epoch { get; } = epoch;
    public int Batch { get; } = batch;
    public double Loss { get; } = loss;
}
