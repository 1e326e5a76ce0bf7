namespace AverLab.Training.Metrics;

/// <summary>One class's one-vs-rest ROC curve: the (false positive rate, true positive rate) point at each distinct
/// score threshold, highest first, from (0, 0) to (1, 1), as scikit-learn's roc_curve with
/// drop_intermediate=False. <see cref="Auc"/> is the trapezoidal area under it; NaN (and no points) when the class
/// has no positives or no negatives.</summary>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double Auc)
{
    public static RocCurve Undefined { get; } = new([], [], double.NaN);

    /// <summary>The curve of <paramref name="positive"/> against the rest, scored by column
    /// <paramref name="positive"/> of <paramref name="probabilities"/>.</summary>
    public static RocCurve OneVsRest(IReadOnlyList<int> yTrue, double[,] probabilities, int positive)
    {
        var n = yTrue.Count;
        long pos = yTrue.Count(y => y == positive), neg = n - pos;
        if (pos == 0 || neg == 0) return Undefined;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => probabilities[b, positive].CompareTo(probabilities[a, positive]));
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        long tp = 0, fp = 0;
        for (var i = 0; i < n;)
        {
            var score = probabilities[order[i], positive];
            for (; i < n && probabilities[order[i], positive] == score; i++)
                if (yTrue[order[i]] == positive) tp++; else fp++;
            fpr.Add((double)fp / neg);
            tpr.Add((double)tp / pos);
        }
        double auc = 0;
        for (var i = 1; i < fpr.Count; i++) auc += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return new RocCurve([.. fpr], [.. tpr], auc);
    }
}
