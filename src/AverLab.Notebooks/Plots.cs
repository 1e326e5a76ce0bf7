using AverLab.Inference;
using AverLab.Training.Reports;
using ScottPlot;

namespace AverLab.Notebooks;

/// <summary>The notebooks' own pictures, drawn with ScottPlot in the reports' face (<see cref="Figures.FontName"/>):
/// a waveform, a feature map (MFCC), an emotion timeline and a grayscale image. Each returns a <see cref="Plot"/>
/// with its display size set; displayed, it shows as a PNG (<see cref="NotebookFormatters"/>).</summary>
public static class Plots
{
    public static Plot Waveform(float[] samples, int sampleRate, int width = 720, int height = 220)
    {
        var plot = NewPlot($"Waveform ({samples.Length / (double)sampleRate:0.00} s)", "time (s)", "amplitude");
        var signal = plot.Add.Signal(samples.Select(s => (double)s).ToArray(), 1.0 / sampleRate);
        signal.LineWidth = 1;
        return plot.WithSize(width, height);
    }

    /// <summary>A [rows, cols] map, row 0 at the bottom (as librosa.display.specshow draws it), e.g. MFCC
    /// coefficients over frames.</summary>
    public static Plot Heatmap(float[] data, int rows, int cols, string title = "MFCC", string xLabel = "frame",
        string yLabel = "coefficient", int width = 720, int height = 300)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        var values = new double[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                values[rows - 1 - r, c] = data[r * cols + c]; // the heatmap draws its first row at the top
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(0, cols, 0, rows);
        plot.Add.ColorBar(heatmap);
        plot.Axes.SetLimits(0, cols, 0, rows);
        return plot.WithSize(width, height);
    }

    /// <summary>The emotion of each analysed window, as coloured spans over time.</summary>
    public static Plot Timeline(IReadOnlyList<TimelineEntry> entries, int width = 720, int height = 180)
    {
        var plot = NewPlot("Emotion timeline", "time (s)", "");
        var names = entries.Select(e => e.Emotion).Distinct().Order(StringComparer.Ordinal).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var e in entries)
        {
            var span = plot.Add.Rectangle(e.Start, e.End, 0, 1);
            span.FillColor = palette.GetColor(names.IndexOf(e.Emotion)).WithAlpha(0.8);
            span.LineColor = Colors.White;
            var label = plot.Add.Text(e.Emotion, (e.Start + e.End) / 2, 0.5);
            label.Alignment = Alignment.MiddleCenter;
            label.LabelFontName = Figures.FontName;
            label.LabelFontSize = 12;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.Axes.SetLimits(0, entries.Count == 0 ? 1 : entries.Max(e => e.End), 0, 1);
        plot.HideGrid();
        return plot.WithSize(width, height);
    }

    /// <summary>An 8-bit grayscale image (row 0 at the top), e.g. a FER2013 face, captioned below.</summary>
    public static Plot Gray(byte[] pixels, int width, int height, string caption = "", int scale = 4) =>
        Grays([(caption, pixels)], width, height, scale);

    /// <summary>Grayscale images of one size side by side, each captioned below (e.g. one face per emotion).</summary>
    public static Plot Grays(IReadOnlyList<(string Caption, byte[] Pixels)> images, int width, int height, int scale = 3)
    {
        var plot = new Plot();
        plot.Font.Set(Figures.FontName);
        var gap = Math.Max(2, width / 8);
        for (var i = 0; i < images.Count; i++)
        {
            var values = new double[height, width];
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    values[y, x] = images[i].Pixels[y * width + x];
            var image = plot.Add.Heatmap(values);
            image.Colormap = new ScottPlot.Colormaps.Grayscale();
            image.ManualRange = new ScottPlot.Range(0, 255);
            image.Smooth = false;
            image.Extent = new CoordinateRect(i * (width + gap), i * (width + gap) + width, 0, height);
        }
        var centres = Enumerable.Range(0, images.Count).Select(i => i * (width + gap) + width / 2.0).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centres, images.Select(m => m.Caption).ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimits(-gap / 2.0, images.Count * (width + gap) - gap / 2.0, 0, height);
        plot.HideGrid();
        return plot.WithSize(images.Count * (width + gap) * scale + 20, height * scale + 50);
    }

    /// <summary>A 2-D map ([n, 2], e.g. t-SNE) with one colour per group (speaker, emotion) and a legend.</summary>
    public static Plot Scatter(double[,] map, IReadOnlyList<string> groups, string title, int width = 560, int height = 460)
    {
        var plot = NewPlot(title, "", "");
        var palette = new ScottPlot.Palettes.Category20();
        var i = 0;
        foreach (var g in groups.Distinct().Order(StringComparer.Ordinal))
        {
            var rows = Enumerable.Range(0, groups.Count).Where(r => groups[r] == g).ToArray();
            var points = plot.Add.ScatterPoints(rows.Select(r => map[r, 0]).ToArray(), rows.Select(r => map[r, 1]).ToArray());
            points.Color = palette.GetColor(i++);
            points.MarkerSize = 6;
            points.LegendText = g;
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot.WithSize(width, height);
    }

    /// <summary>Curves over epochs (e.g. training and validation loss), one per named series; NaN points are skipped.</summary>
    public static Plot Curves(string title, string yLabel, params (string Name, IReadOnlyList<double> Values)[] series)
    {
        var plot = NewPlot(title, "epoch", yLabel);
        foreach (var (name, values) in series)
        {
            var epochs = Enumerable.Range(1, values.Count).Where(e => !double.IsNaN(values[e - 1])).ToArray();
            var line = plot.Add.Scatter(epochs.Select(e => (double)e).ToArray(), epochs.Select(e => values[e - 1]).ToArray());
            line.LegendText = name;
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot.WithSize(560, 300);
    }

    /// <summary>Bars with 95 % interval whiskers (e.g. accuracy per speaker, or per protocol), one per label.</summary>
    public static Plot Bars(string title, string yLabel, IReadOnlyList<string> labels, IReadOnlyList<double> values,
        IReadOnlyList<double> lower, IReadOnlyList<double> upper, int width = 640, int height = 320)
    {
        var plot = NewPlot(title, "", yLabel);
        plot.Add.Bars(values.ToArray());
        for (var i = 0; i < values.Count; i++)
        {
            var whisker = plot.Add.Line(i, lower[i], i, upper[i]);
            whisker.LineWidth = 2;
            whisker.Color = Colors.Black;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.Margins(bottom: 0);
        return plot.WithSize(width, height);
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(Figures.FontName);
        plot.Title(title, 15);
        plot.Axes.Title.Label.Bold = false;
        plot.XLabel(xLabel, 13);
        if (yLabel.Length > 0) plot.YLabel(yLabel, 13);
        return plot;
    }
}
