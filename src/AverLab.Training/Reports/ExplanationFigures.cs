using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace AverLab.Training.Reports;

/// <summary>The explanation figures (the `explain` command, report.html's Explanations section, notebooks): attribution
/// bars, saliency drawn over the input, and the t-SNE map. Same face and style as <see cref="Figures"/>.</summary>
public static class ExplanationFigures
{
    /// <summary>The <paramref name="top"/> features by |value| as horizontal bars, largest on top; positive values
    /// (supporting) red, negative blue; <paramref name="errors"/> (standard errors, standard deviations) as error bars.</summary>
    public static Plot Attributions(string title, string xLabel, IReadOnlyList<string> names, double[] values, double[]? errors = null, int top = 15)
    {
        var order = Enumerable.Range(0, values.Length).Where(j => double.IsFinite(values[j]))
            .OrderByDescending(j => Math.Abs(values[j])).ThenBy(j => j).Take(top).ToArray();
        var plot = Figures.NewPlot(title, xLabel, "");
        var k = order.Length;
        var bars = order.Select((j, r) => new Bar
        {
            Position = k - 1 - r,
            Value = values[j],
            Error = errors is { } e && double.IsFinite(e[j]) ? e[j] : 0,
            FillColor = values[j] >= 0 ? Figures.Palette[3] : Figures.Palette[0],
            LineWidth = 0,
            Size = 0.7,
        }).ToArray();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.TickGenerator = new NumericManual(Enumerable.Range(0, k).Select(r => (double)(k - 1 - r)).ToArray(),
            order.Select(j => names[j]).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(-0.6, Math.Max(k, 1) - 0.4);
        var zero = plot.Add.VerticalLine(0);
        zero.Color = Figures.Ink;
        zero.LineWidth = 1;
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        return plot;
    }

    /// <summary>A map drawn over its input: the input (rows x columns) in grey, the map on top at 55 % opacity (an
    /// unsigned map from transparent-dark to bright, a signed one red for support and blue against, symmetric about
    /// zero). <paramref name="originBottom"/>: row 0 at the bottom (MFCC coefficients, spectrogram bins); otherwise at
    /// the top (images).</summary>
    public static Plot Saliency(string title, double[,] input, double[,] map, bool signed, string xLabel, string yLabel, bool originBottom)
    {
        var plot = Figures.NewPlot(title, xLabel, yLabel);
        var (rows, cols) = (input.GetLength(0), input.GetLength(1));
        var baseMap = plot.Add.Heatmap(Oriented(input, originBottom));
        baseMap.Colormap = new ScottPlot.Colormaps.Grayscale();
        baseMap.Extent = new CoordinateRect(0, cols, 0, rows);
        var overlay = plot.Add.Heatmap(Oriented(map, originBottom));
        var max = 0.0;
        foreach (var v in map) if (double.IsFinite(v)) max = Math.Max(max, Math.Abs(v));
        if (max == 0) max = 1;
        overlay.Colormap = signed ? new ScottPlot.Colormaps.Balance() : new ScottPlot.Colormaps.Inferno();
        overlay.ManualRange = signed ? new ScottPlot.Range(-max, max) : new ScottPlot.Range(0, max);
        overlay.Opacity = 0.55;
        overlay.Extent = new CoordinateRect(0, cols, 0, rows);
        var bar = plot.Add.ColorBar(overlay);
        bar.Axis.TickLabelStyle.FontName = Figures.FontName;
        bar.Axis.TickLabelStyle.FontSize = 11;
        bar.Axis.TickGenerator = new NumericAutomatic { TargetTickCount = 5, LabelFormatter = v => v.ToString("G3", CultureInfo.InvariantCulture) };
        plot.Axes.SetLimits(0, cols, 0, rows);
        if (!originBottom)
        {
            // Image rows count downwards: label the y axis with row numbers from the top.
            plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => (rows - v).ToString("0", CultureInfo.InvariantCulture) };
        }
        plot.HideGrid();
        return plot;
    }

    /// <summary>A 2-D map of items (t-SNE of embeddings) coloured by true class; items the model got wrong carry a black
    /// cross. The neighbourhood purity goes in the title.</summary>
    public static Plot Embedding(string title, double[,] map, int[] labels, int[] predicted, IReadOnlyList<string> classes)
    {
        var plot = Figures.NewPlot(title, "t-SNE 1", "t-SNE 2");
        var n = map.GetLength(0);
        for (var c = 0; c < classes.Count; c++)
        {
            var idx = Enumerable.Range(0, n).Where(i => labels[i] == c).ToArray();
            if (idx.Length == 0) continue;
            var m = plot.Add.Markers(idx.Select(i => map[i, 0]).ToArray(), idx.Select(i => map[i, 1]).ToArray(),
                MarkerShape.FilledCircle, 7, Figures.Palette[c % Figures.Palette.Length]);
            m.LegendText = classes[c];
        }
        var wrong = Enumerable.Range(0, n).Where(i => labels[i] != predicted[i]).ToArray();
        if (wrong.Length > 0)
        {
            var x = plot.Add.Markers(wrong.Select(i => map[i, 0]).ToArray(), wrong.Select(i => map[i, 1]).ToArray(), MarkerShape.Eks, 9, Figures.Ink);
            x.LegendText = $"wrong ({wrong.Length})";
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static double[,] Oriented(double[,] values, bool originBottom)
    {
        // ScottPlot draws a heatmap's row 0 at the top (as an image).
        if (!originBottom) return values;
        var (rows, cols) = (values.GetLength(0), values.GetLength(1));
        var flipped = new double[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) flipped[rows - 1 - r, c] = values[r, c];
        return flipped;
    }
}
