namespace AverLab.Training.Metrics;

/// <summary>Metrics of a multi-class classifier on one split, with scikit-learn's definitions (checked against
/// sklearn 1.2 by tests/golden/make_metrics_golden.py): a class never predicted has precision 0
/// (zero_division=0); balanced accuracy is the mean recall over the classes present in the true labels; ROC AUC is
/// one-vs-rest, macro-averaged over classes that have both positives and negatives.</summary>
public sealed class ClassificationMetrics
{
    public required string[] Labels { get; init; }
    public required int Count { get; init; }
    /// <summary>Counts, rows = true class, columns = predicted class.</summary>
    public required long[,] Confusion { get; init; }
    public required double Accuracy { get; init; }
    public required double BalancedAccuracy { get; init; }
    public required double[] Precision { get; init; }
    public required double[] Recall { get; init; }
    public required double[] F1 { get; init; }
    public required long[] Support { get; init; }
    public required double MacroPrecision { get; init; }
    public required double MacroRecall { get; init; }
    public required double MacroF1 { get; init; }
    public required double WeightedF1 { get; init; }
    /// <summary>Macro one-vs-rest ROC AUC; NaN when no probabilities were given or no class has both outcomes.</summary>
    public required double RocAucMacro { get; init; }
    /// <summary>Expected calibration error over <see cref="EceBins"/> equal-width confidence bins; NaN without probabilities.</summary>
    public required double ExpectedCalibrationError { get; init; }
    public int EceBins { get; init; } = 15;
    /// <summary>Each class's one-vs-rest ROC curve (index = class); null without probabilities.</summary>
    public RocCurve[]? RocCurves { get; init; }
    /// <summary>The <see cref="EceBins"/> confidence bins behind <see cref="ExpectedCalibrationError"/>, for a
    /// reliability diagram; null without probabilities.</summary>
    public ReliabilityBin[]? Reliability { get; init; }
    public ConfidenceInterval? AccuracyCi { get; init; }
    public ConfidenceInterval? MacroF1Ci { get; init; }

    /// <summary>The confusion matrix with each row divided by its total (rows without samples stay 0).</summary>
    public double[,] ConfusionNormalized
    {
        get
        {
            var k = Labels.Length;
            var n = new double[k, k];
            for (var i = 0; i < k; i++)
            {
                long row = 0;
                for (var j = 0; j < k; j++) row += Confusion[i, j];
                for (var j = 0; j < k; j++) n[i, j] = row == 0 ? 0 : (double)Confusion[i, j] / row;
            }
            return n;
        }
    }

    /// <summary>Computes every metric. <paramref name="probabilities"/> (n x classes, rows summing to 1) enables ROC
    /// AUC and calibration; <paramref name="bootstrapSamples"/> &gt; 0 adds 95% percentile intervals for accuracy
    /// and macro-F1, resampling with a seeded generator so the same inputs give the same intervals.</summary>
    public static ClassificationMetrics Compute(IReadOnlyList<int> yTrue, IReadOnlyList<int> yPred, string[] labels,
        double[,]? probabilities = null, int bootstrapSamples = 0, int seed = 0, int eceBins = 15)
    {
        var k = labels.Length;
        var n = yTrue.Count;
        if (yPred.Count != n) throw new ArgumentException($"{n} true labels but {yPred.Count} predictions");
        if (probabilities != null && (probabilities.GetLength(0) != n || probabilities.GetLength(1) != k))
            throw new ArgumentException($"probabilities must be {n} x {k}, got {probabilities.GetLength(0)} x {probabilities.GetLength(1)}");
        for (var i = 0; i < n; i++)
            if ((uint)yTrue[i] >= (uint)k || (uint)yPred[i] >= (uint)k)
                throw new ArgumentException($"label index out of range at sample {i}: true {yTrue[i]}, predicted {yPred[i]} (classes 0..{k - 1})");

        var core = Core(yTrue, yPred, k);
        var reliability = probabilities == null ? null : ReliabilityBin.Compute(yTrue, probabilities, eceBins);
        ConfidenceInterval? accCi = null, f1Ci = null;
        if (bootstrapSamples > 0 && n > 0)
            (accCi, f1Ci) = Bootstrap(yTrue, yPred, k, bootstrapSamples, seed);
        return new ClassificationMetrics
        {
            Labels = labels,
            Count = n,
            Confusion = core.Confusion,
            Accuracy = core.Accuracy,
            BalancedAccuracy = core.BalancedAccuracy,
            Precision = core.Precision,
            Recall = core.Recall,
            F1 = core.F1,
            Support = core.Support,
            MacroPrecision = core.Precision.Average(),
            MacroRecall = core.Recall.Average(),
            MacroF1 = core.MacroF1,
            WeightedF1 = core.WeightedF1,
            RocAucMacro = probabilities == null ? double.NaN : RocAucOneVsRest(yTrue, probabilities, k),
            ExpectedCalibrationError = reliability == null ? double.NaN : ReliabilityBin.ExpectedCalibrationError(reliability),
            EceBins = eceBins,
            RocCurves = probabilities == null ? null : Enumerable.Range(0, k).Select(c => RocCurve.OneVsRest(yTrue, probabilities, c)).ToArray(),
            Reliability = reliability,
            AccuracyCi = accCi,
            MacroF1Ci = f1Ci,
        };
    }

    private sealed record CoreMetrics(long[,] Confusion, double Accuracy, double BalancedAccuracy, double[] Precision,
        double[] Recall, double[] F1, long[] Support, double MacroF1, double WeightedF1);

    private static CoreMetrics Core(IReadOnlyList<int> yTrue, IReadOnlyList<int> yPred, int k)
    {
        var cm = new long[k, k];
        long correct = 0;
        for (var i = 0; i < yTrue.Count; i++)
        {
            cm[yTrue[i], yPred[i]]++;
            if (yTrue[i] == yPred[i]) correct++;
        }
        var precision = new double[k];
        var recall = new double[k];
        var f1 = new double[k];
        var support = new long[k];
        for (var c = 0; c < k; c++)
        {
            long tp = cm[c, c], predicted = 0, actual = 0;
            for (var j = 0; j < k; j++)
            {
                predicted += cm[j, c];
                actual += cm[c, j];
            }
            support[c] = actual;
            precision[c] = predicted == 0 ? 0 : (double)tp / predicted;
            recall[c] = actual == 0 ? 0 : (double)tp / actual;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        var present = Enumerable.Range(0, k).Where(c => support[c] > 0).ToList();
        var total = support.Sum();
        return new CoreMetrics(cm,
            yTrue.Count == 0 ? double.NaN : (double)correct / yTrue.Count,
            present.Count == 0 ? double.NaN : present.Average(c => recall[c]),
            precision, recall, f1, support,
            f1.Average(),
            total == 0 ? 0 : Enumerable.Range(0, k).Sum(c => f1[c] * support[c]) / total);
    }

    /// <summary>Binary AUC per class from average ranks (Mann-Whitney U), which equals the trapezoidal ROC area
    /// sklearn computes, ties included.</summary>
    private static double RocAucOneVsRest(IReadOnlyList<int> yTrue, double[,] p, int k)
    {
        var n = yTrue.Count;
        var aucs = new List<double>();
        var order = new int[n];
        var ranks = new double[n];
        for (var c = 0; c < k; c++)
        {
            long pos = yTrue.Count(y => y == c), neg = n - pos;
            if (pos == 0 || neg == 0) continue;
            for (var i = 0; i < n; i++) order[i] = i;
            Array.Sort(order, (a, b) => p[a, c].CompareTo(p[b, c]));
            for (var i = 0; i < n;)
            {
                var j = i;
                while (j + 1 < n && p[order[j + 1], c] == p[order[i], c]) j++;
                var avg = (i + j) / 2.0 + 1;
                for (var t = i; t <= j; t++) ranks[order[t]] = avg;
                i = j + 1;
            }
            double sumPos = 0;
            for (var i = 0; i < n; i++)
                if (yTrue[i] == c) sumPos += ranks[i];
            aucs.Add((sumPos - pos * (pos + 1) / 2.0) / ((double)pos * neg));
        }
        return aucs.Count == 0 ? double.NaN : aucs.Average();
    }

    private static (ConfidenceInterval acc, ConfidenceInterval f1) Bootstrap(IReadOnlyList<int> yTrue,
        IReadOnlyList<int> yPred, int k, int samples, int seed)
    {
        var rng = new Random(seed);
        var n = yTrue.Count;
        var accs = new double[samples];
        var f1s = new double[samples];
        var t = new int[n];
        var p = new int[n];
        for (var s = 0; s < samples; s++)
        {
            for (var i = 0; i < n; i++)
            {
                var j = rng.Next(n);
                t[i] = yTrue[j];
                p[i] = yPred[j];
            }
            var m = Core(t, p, k);
            accs[s] = m.Accuracy;
            f1s[s] = m.MacroF1;
        }
        return (Percentile(accs), Percentile(f1s));
    }

    private static ConfidenceInterval Percentile(double[] values)
    {
        Array.Sort(values);
        double At(double q)
        {
            var pos = q * (values.Length - 1);
            var lo = (int)Math.Floor(pos);
            var hi = Math.Min(lo + 1, values.Length - 1);
            return values[lo] + (values[hi] - values[lo]) * (pos - lo);
        }
        return new ConfidenceInterval(At(0.025), At(0.975), 0.95);
    }
}
