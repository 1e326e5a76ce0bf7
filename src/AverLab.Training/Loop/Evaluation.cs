namespace AverLab.Training.Loop;

/// <summary>Predictions of a model on a split: true labels, predicted labels, class probabilities and mean loss.</summary>
public sealed record Evaluation(int[] Labels, int[] Predictions, double[,] Probabilities, double Loss, int[] Indices)
{
    public double Accuracy => Labels.Length == 0 ? double.NaN : Labels.Zip(Predictions).Count(p => p.First == p.Second) / (double)Labels.Length;
}
