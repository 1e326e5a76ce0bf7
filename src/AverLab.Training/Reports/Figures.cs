using System.Globalization;
using AverLab.Training.Metrics;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace AverLab.Training.Reports;

/// <summary>The figures of a run, one method each, drawn with ScottPlot from plain arrays (or the records that hold
/// them) so that report.html and notebooks show the same pictures. Each returns a <see cref="Plot"/> in one sans
/// face (<see cref="FontName"/>) with its axes labelled; <see cref="Figure.Render"/> turns it into PNG and SVG.</summary>
public static class Figures
{
    /// <summary>The one face every figure uses. ScottPlot's own default resolves to a serif face on Debian, so it is
    /// named explicitly; the font comes from fonts-dejavu-core (scripts/setup.sh).</summary>
    public const string FontName = "DejaVu Sans";

    internal static readonly Color[] Palette = new ScottPlot.Palettes.Category10().Colors;
    internal static readonly Color Ink = Color.FromHex("#222222");

    /// <summary>Train and validation loss per epoch.</summary>
    public static Plot Loss(IReadOnlyList<EpochRecord> history) =>
        Curves("Loss", "loss", Epochs(history),
            [("train", history.Select(h => h.TrainLoss).ToArray()), ("validation", history.Select(h => h.ValLoss).ToArray())]);

    /// <summary>Train and validation accuracy per epoch, on a 0–1 axis.</summary>
    public static Plot Accuracy(IReadOnlyList<EpochRecord> history) =>
        Curves("Accuracy", "accuracy", Epochs(history),
            [("train", history.Select(h => h.TrainAcc).ToArray()), ("validation", history.Select(h => h.ValAcc).ToArray())], unitInterval: true,
            legend: Alignment.LowerRight);

    /// <summary>The learning rate per epoch (as recorded at each epoch's end).</summary>
    public static Plot LearningRate(IReadOnlyList<EpochRecord> history) =>
        LearningRate(Epochs(history), history.Select(h => h.Lr).ToArray());

    /// <summary>Named series over epochs; non-finite points (no validation split) are left out, and a series with none
    /// left is not drawn. <paramref name="legend"/>: the corner the curves leave free (upper right when falling).</summary>
    public static Plot Curves(string title, string yLabel, double[] epochs, IReadOnlyList<(string Name, double[] Values)> series,
        bool unitInterval = false, Alignment legend = Alignment.UpperRight)
    {
        var plot = NewPlot(title, "epoch", yLabel);
        for (var s = 0; s < series.Count; s++)
        {
            var (x, y) = Finite(epochs, series[s].Values);
            if (x.Length == 0) continue;
            var line = plot.Add.Scatter(x, y, Palette[s % Palette.Length]);
            line.LegendText = series[s].Name;
            line.LineWidth = 2;
            line.MarkerSize = x.Length > 40 ? 0 : 5;
        }
        EpochAxis(plot, epochs);
        if (unitInterval) UnitAxis(plot.Axes.Left, plot);
        if (plot.GetPlottables().Any()) plot.ShowLegend(legend);
        return plot;
    }

    /// <summary>The learning rate per epoch, on a log axis with ticks at 1, 2 and 5 per decade when every value is
    /// positive (linear otherwise).</summary>
    public static Plot LearningRate(double[] epochs, double[] lr)
    {
        var plot = NewPlot("Learning rate", "epoch", "learning rate");
        var (x, y) = Finite(epochs, lr);
        var log = y.Length > 0 && y.All(v => v > 0) && y.Max() / y.Min() > 1.5;
        if (y.Length > 0)
        {
            var line = plot.Add.Scatter(x, log ? y.Select(Math.Log10).ToArray() : y, Palette[0]);
            line.LineWidth = 2;
            line.MarkerSize = x.Length > 40 ? 0 : 5;
        }
        EpochAxis(plot, epochs);
        if (log)
        {
            plot.Axes.Left.TickGenerator = LogTicks(y.Min(), y.Max());
            plot.Axes.Left.Label.Text = "learning rate (log scale)";
        }
        else plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => v.ToString("G3", CultureInfo.InvariantCulture) };
        return plot;
    }

    /// <summary>The confusion matrix as counts: rows are the true class, columns the predicted one, each cell
    /// annotated with its count and shaded by it.</summary>
    public static Plot ConfusionCounts(string[] labels, long[,] counts)
    {
        var k = labels.Length;
        var values = new double[k, k];
        long max = 0;
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
            {
                values[i, j] = counts[i, j];
                max = Math.Max(max, counts[i, j]);
            }
        return Heatmap("Confusion matrix (counts)", labels, values, Math.Max(1, max),
            v => v.ToString("0", CultureInfo.InvariantCulture));
    }

    /// <summary>The confusion matrix with each row divided by its total (recall on the diagonal), annotated with two
    /// decimals.</summary>
    public static Plot ConfusionNormalized(string[] labels, double[,] normalized) =>
        Heatmap("Confusion matrix (row-normalised)", labels, normalized, 1, v => v.ToString("0.00", CultureInfo.InvariantCulture));

    /// <summary>F1 of each class as horizontal bars (first class on top) with the value at each bar's end, and the
    /// macro mean in the title.</summary>
    public static Plot F1PerClass(string[] labels, double[] f1)
    {
        var k = labels.Length;
        var macro = f1.Length == 0 ? double.NaN : f1.Average();
        var plot = NewPlot($"F1 per class (macro {Format(macro, "0.000")})", "F1", "");
        var bars = Enumerable.Range(0, k).Select(c => new Bar
        {
            Position = k - 1 - c,
            Value = double.IsFinite(f1[c]) ? f1[c] : 0,
            FillColor = Palette[0],
            LineWidth = 0,
            Size = 0.7,
            Label = Format(f1[c], "0.000"),
        }).ToArray();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontName = FontName;
        barPlot.ValueLabelStyle.FontSize = 12;
        barPlot.ValueLabelStyle.ForeColor = Ink;
        plot.Axes.Left.TickGenerator = new NumericManual(Enumerable.Range(0, k).Select(c => (double)(k - 1 - c)).ToArray(), labels);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        UnitAxis(plot.Axes.Bottom, plot, upper: 1.12);
        plot.Axes.SetLimitsY(-0.6, k - 0.4);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        return plot;
    }

    /// <summary>One-vs-rest ROC curve of each class with its AUC in the legend, over the chance diagonal. A class
    /// whose curve is undefined (no positives or no negatives in the split) is left out.</summary>
    public static Plot Roc(string[] labels, IReadOnlyList<RocCurve> curves)
    {
        var plot = NewPlot("ROC curves (one-vs-rest)", "false positive rate", "true positive rate");
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LineColor = Colors.Gray;
        chance.LinePattern = LinePattern.Dashed;
        chance.LineWidth = 1;
        chance.LegendText = "chance (AUC 0.5)";
        for (var c = 0; c < labels.Length; c++)
        {
            var curve = curves[c];
            if (curve.FalsePositiveRate.Length == 0) continue;
            var line = plot.Add.ScatterLine(curve.FalsePositiveRate, curve.TruePositiveRate, Palette[c % Palette.Length]);
            line.LineWidth = 2;
            line.LegendText = $"{labels[c]} (AUC {Format(curve.Auc, "0.000")})";
        }
        UnitAxis(plot.Axes.Bottom, plot);
        UnitAxis(plot.Axes.Left, plot);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>A reliability diagram: the accuracy of each confidence bin as a bar labelled with its number of items,
    /// the (mean confidence, accuracy) point of each bin joined by a line, and the diagonal of perfect calibration
    /// (a point below it is over-confident); the ECE in the title. Empty bins have no bar and no point.</summary>
    public static Plot Reliability(IReadOnlyList<ReliabilityBin> bins, double ece)
    {
        var plot = NewPlot($"Reliability diagram (ECE {Format(ece, "0.000")}, {bins.Count} bins)", "confidence (largest class probability)", "accuracy");
        var filled = bins.Where(b => b.Count > 0).ToList();
        var accuracy = plot.Add.Bars(filled.Select(b => new Bar
        {
            Position = (b.Lower + b.Upper) / 2, Value = b.Accuracy, Size = b.Upper - b.Lower,
            FillColor = Palette[0].WithAlpha(0.75), LineColor = Colors.White, LineWidth = 1,
            Label = b.Count.ToString(CultureInfo.InvariantCulture),
        }).ToArray());
        accuracy.LegendText = "accuracy of the bin (label: items)";
        accuracy.ValueLabelStyle.FontName = FontName;
        accuracy.ValueLabelStyle.FontSize = 10;
        accuracy.ValueLabelStyle.ForeColor = Ink;
        var observed = plot.Add.Scatter(filled.Select(b => b.MeanConfidence).ToArray(), filled.Select(b => b.Accuracy).ToArray(), Palette[1]);
        observed.LineWidth = 2;
        observed.MarkerSize = 7;
        observed.LegendText = "accuracy at the bin's mean confidence";
        var perfect = plot.Add.Line(0, 0, 1, 1);
        perfect.LineColor = Colors.Gray;
        perfect.LinePattern = LinePattern.Dashed;
        perfect.LegendText = "perfect calibration";
        UnitAxis(plot.Axes.Bottom, plot);
        UnitAxis(plot.Axes.Left, plot, upper: 1.1);
        plot.ShowLegend(Edge.Bottom); // below the axes: bars can fill any corner
        return plot;
    }

    /// <summary>The confusion-matrix picture both variants share: true class down, predicted class across, first
    /// class top-left, each cell annotated in a colour that stays readable on its shade.</summary>
    private static Plot Heatmap(string title, string[] labels, double[,] values, double max, Func<double, string> format)
    {
        var k = labels.Length;
        var plot = NewPlot(title, "predicted class", "true class");
        // Cells are drawn as rectangles, so the SVG stays vector (a Heatmap's bitmap is smoothed when a browser scales
        // it); the hidden heatmap only feeds the colour bar.
        var colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues()); // light for 0, dark for max
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = new ScottPlot.Range(0, max);
        heatmap.IsVisible = false;
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
            {
                var cell = plot.Add.Rectangle(j - 0.5, j + 0.5, k - 1 - i - 0.5, k - 1 - i + 0.5);
                cell.FillColor = colormap.GetColor(Math.Clamp(values[i, j] / max, 0, 1));
                cell.LineColor = Colors.White;
                cell.LineWidth = 1;
            }
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
            {
                var text = plot.Add.Text(format(values[i, j]), j, k - 1 - i);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontName = FontName;
                text.LabelFontSize = k > 10 ? 9 : 13;
                text.LabelFontColor = values[i, j] / max > 0.55 ? Colors.White : Ink;
            }
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new NumericManual(positions, labels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Left.TickGenerator = new NumericManual(positions.Select(p => k - 1 - p).ToArray(), labels);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        // The layout measures tick labels unrotated: make room for the slanted class names under the axis label.
        var longest = Math.Min(24, labels.Select(l => l.Length).DefaultIfEmpty(4).Max());
        plot.Axes.Bottom.MinimumSize = 40 + longest * 7.5f * 0.6f;
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.HideGrid();
        var bar = plot.Add.ColorBar(heatmap);
        bar.MinimumSize = 80; // room for the tick labels, which the panel does not measure
        bar.Axis.TickLabelStyle.FontName = FontName;
        bar.Axis.TickLabelStyle.FontSize = 12;
        bar.Axis.TickGenerator = max <= 1
            ? new NumericAutomatic { TargetTickCount = 6, LabelFormatter = v => v.ToString("0.0", CultureInfo.InvariantCulture) }
            : new NumericAutomatic { TargetTickCount = 6, IntegerTicksOnly = true };
        return plot;
    }

    internal static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName); // also ScottPlot's process-wide default, so labels added later use it too
        plot.Title(title, 16);
        plot.XLabel(xLabel, 14);
        plot.YLabel(yLabel, 14);
        plot.Axes.Title.Label.Bold = false;
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.FontSize = 12;
            axis.TickLabelStyle.ForeColor = Ink;
        }
        plot.Legend.FontName = FontName;
        plot.Legend.FontSize = 12;
        return plot;
    }

    private static double[] Epochs(IReadOnlyList<EpochRecord> history) => history.Select(h => (double)h.Epoch).ToArray();

    private static (double[] x, double[] y) Finite(double[] x, double[] y)
    {
        var keep = Enumerable.Range(0, Math.Min(x.Length, y.Length)).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
        return (keep.Select(i => x[i]).ToArray(), keep.Select(i => y[i]).ToArray());
    }

    /// <summary>Whole epochs only, and a little room either side of the first and last.</summary>
    private static void EpochAxis(Plot plot, double[] epochs)
    {
        var whole = epochs.Where(double.IsFinite).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = whole.Length is > 0 and <= 15
            ? new NumericManual(whole, whole.Select(e => e.ToString("0", CultureInfo.InvariantCulture)).ToArray())
            : new NumericAutomatic { IntegerTicksOnly = true, TargetTickCount = 8 };
        if (epochs.Length > 0)
        {
            var (lo, hi) = (epochs.Min(), epochs.Max());
            var pad = Math.Max(0.3, (hi - lo) * 0.03);
            plot.Axes.SetLimitsX(lo - pad, hi + pad);
        }
    }

    /// <summary>An axis over [0, 1] (a little beyond, so lines at the edges show) with ticks every 0.2.</summary>
    private static void UnitAxis(IAxis axis, Plot plot, double upper = 1.03)
    {
        var ticks = new NumericManual();
        for (var t = 0; t <= 5; t++) ticks.AddMajor(t / 5.0, (t / 5.0).ToString("0.0", CultureInfo.InvariantCulture));
        for (var t = 1; t < 10; t += 2) ticks.AddMinor(t / 10.0);
        axis.TickGenerator = ticks;
        if (axis.Edge.IsHorizontal()) plot.Axes.SetLimitsX(-0.03, upper, (IXAxis)axis);
        else plot.Axes.SetLimitsY(-0.03, upper, (IYAxis)axis);
    }

    /// <summary>Ticks for a log10 axis: 1, 2 and 5 per decade (every digit when that gives fewer than three in range),
    /// labelled with the value itself.</summary>
    private static NumericManual LogTicks(double min, double max)
    {
        var ticks = new NumericManual();
        var (lo, hi) = (Math.Floor(Math.Log10(min)), Math.Ceiling(Math.Log10(max)));
        int[] majors = [1, 2, 5];
        var inRange = Candidates(majors).Count();
        if (inRange < 3) majors = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        foreach (var v in Candidates(majors))
            ticks.AddMajor(Math.Log10(v), v.ToString("G3", CultureInfo.InvariantCulture));
        foreach (var v in Candidates([1, 2, 3, 4, 5, 6, 7, 8, 9]))
            ticks.AddMinor(Math.Log10(v));
        return ticks;

        IEnumerable<double> Candidates(int[] digits)
        {
            for (var d = lo; d <= hi; d++)
                foreach (var m in digits)
                {
                    var v = m * Math.Pow(10, d);
                    if (v >= min * 0.999 && v <= max * 1.001) yield return v;
                }
        }
    }

    private static string Format(double v, string format) => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
