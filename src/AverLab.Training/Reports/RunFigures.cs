using AverLab.Training.Metrics;
using AverLab.Runs;

namespace AverLab.Training.Reports;

/// <summary>The set of figures a run folder holds under <c>plots/</c> and report.html shows: the curves from the
/// history, and, with test metrics, the confusion matrices and per-class F1, plus ROC curves and the reliability
/// diagram when the metrics kept the probabilities' curves.</summary>
public static class RunFigures
{
    public const string Folder = RunLayout.PlotsDir;

    public static IReadOnlyList<Figure> Render(IReadOnlyList<EpochRecord> history, ClassificationMetrics? test)
    {
        var figures = new List<Figure>();
        if (history.Count > 0)
        {
            figures.Add(Figure.Render("loss", "loss-curve", "Loss per epoch", Figures.Loss(history), 640, 420));
            figures.Add(Figure.Render("accuracy", "accuracy-curve", "Accuracy per epoch", Figures.Accuracy(history), 640, 420));
            figures.Add(Figure.Render("learning_rate", "lr-curve", "Learning rate per epoch", Figures.LearningRate(history), 640, 420));
        }
        if (test != null && test.Count > 0)
        {
            var k = test.Labels.Length;
            var side = Math.Clamp(260 + 52 * k, 420, 900);
            figures.Add(Figure.Render("confusion_counts", "confusion-matrix", "Confusion matrix, counts (rows: true class)",
                Figures.ConfusionCounts(test.Labels, test.Confusion), side + 80, side));
            figures.Add(Figure.Render("confusion_normalized", "confusion-matrix-normalized", "Confusion matrix, each row divided by its total",
                Figures.ConfusionNormalized(test.Labels, test.ConfusionNormalized), side + 80, side));
            figures.Add(Figure.Render("f1_per_class", "per-class-f1", "F1 per class",
                Figures.F1PerClass(test.Labels, test.F1), 640, Math.Clamp(130 + 36 * k, 300, 900)));
            if (test.RocCurves is { } roc)
                figures.Add(Figure.Render("roc", "roc-curves", "ROC curves, one class against the rest",
                    Figures.Roc(test.Labels, roc), 640, 560));
            if (test.Reliability is { } bins)
                figures.Add(Figure.Render("reliability", "reliability-diagram", "Reliability diagram (calibration)",
                    Figures.Reliability(bins, test.ExpectedCalibrationError), 640, 560));
        }
        return figures;
    }

    /// <summary>Writes every figure as PNG and SVG into <paramref name="plotsDir"/> (a run's <c>plots/</c>).</summary>
    public static void Save(IEnumerable<Figure> figures, string plotsDir)
    {
        Directory.CreateDirectory(plotsDir);
        foreach (var f in figures) f.Save(plotsDir);
    }
}
