using System.Globalization;
using AverLab.Inference;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace AverLab.Web;

/// <summary>The web app's charts, drawn on the server with ScottPlot as PNG (no script library, works offline): the
/// average emotions of an analysis, its emotions over time, run curves side by side, and a sweep's ASHA rungs.</summary>
public static class Charts
{
    /// <summary>The face every figure uses (fonts-dejavu-core, as in run reports).</summary>
    public const string FontName = "DejaVu Sans";
    private static readonly Color[] Palette = new ScottPlot.Palettes.Category10().Colors;

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, 15);
        plot.XLabel(x, 13);
        plot.YLabel(y, 13);
        plot.Axes.Title.Label.Bold = false;
        plot.Legend.FontName = FontName;
        return plot;
    }

    public static byte[] Png(Plot plot, int width = 720, int height = 360) => plot.GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>One bar per class: the probability of the whole file (duration-weighted mean of its windows).</summary>
    public static Plot Average(EmotionEstimate overall)
    {
        var plot = NewPlot("Average emotions", "emotion", "probability");
        var classes = overall.Probabilities.Keys.ToArray();
        var bars = classes.Select((c, i) => new Bar
        {
            Position = i, Value = overall.Probabilities[c], FillColor = c == overall.Emotion ? Palette[3] : Palette[0], LineWidth = 0, Size = 0.7,
            Label = overall.Probabilities[c].ToString("0.00", CultureInfo.InvariantCulture),
        }).ToArray();
        var bp = plot.Add.Bars(bars);
        bp.ValueLabelStyle.FontName = FontName;
        plot.Axes.Bottom.TickGenerator = new NumericManual(Enumerable.Range(0, classes.Length).Select(i => (double)i).ToArray(), classes);
        plot.Axes.SetLimits(-0.6, classes.Length - 0.4, 0, 1.1);
        return plot;
    }

    /// <summary>A feature-vector model's Shapley values for one window: one horizontal bar per feature (largest |φ| on
    /// top; red for, blue against the class), ± 1 standard error.</summary>
    public static Plot Attributions(Explanation e)
    {
        var a = e.Attributions ?? [];
        var plot = NewPlot($"Shapley values, {e.Target} ({e.Start:0.##}-{e.End:0.##} s)", "φ (probability)", "");
        var k = a.Count;
        var bars = a.Select((f, r) => new Bar
        {
            Position = k - 1 - r, Value = f.Value, Error = f.StandardError, FillColor = f.Value >= 0 ? Palette[3] : Palette[0], LineWidth = 0, Size = 0.7,
        }).ToArray();
        var bp = plot.Add.Bars(bars);
        bp.Horizontal = true;
        plot.Axes.Left.TickGenerator = new NumericManual(Enumerable.Range(0, k).Select(r => (double)(k - 1 - r)).ToArray(), a.Select(f => f.Feature).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(-0.6, Math.Max(k, 1) - 0.4);
        plot.Add.VerticalLine(0).LineWidth = 1;
        return plot;
    }

    /// <summary>Each class's probability over time, one line per class, a point per window (audio) or frame (video)
    /// at its start.</summary>
    public static Plot Timeline(IReadOnlyList<TimelineEntry> timeline, string title = "Emotions over time")
    {
        var plot = NewPlot(title, "time (s)", "probability");
        if (timeline.Count == 0) return plot;
        var classes = timeline[0].Probabilities.Keys.ToArray();
        var x = timeline.Select(e => e.Start).ToArray();
        for (var c = 0; c < classes.Length; c++)
        {
            var y = timeline.Select(e => e.Probabilities.GetValueOrDefault(classes[c])).ToArray();
            var line = x.Length == 1
                ? plot.Add.Scatter(new[] { timeline[0].Start, timeline[0].End }, new[] { y[0], y[0] }, Palette[c % Palette.Length])
                : plot.Add.Scatter(x, y, Palette[c % Palette.Length]);
            line.LegendText = classes[c];
            line.LineWidth = 2;
            line.MarkerSize = x.Length > 40 ? 0 : 5;
        }
        plot.Axes.SetLimitsY(0, 1.05);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>One history.csv column of several runs over epochs, one line per run.</summary>
    public static Plot Curves(string metric, IReadOnlyList<(string Name, double[] Epochs, double[] Values)> runs)
    {
        var plot = NewPlot(metric, "epoch", metric);
        for (var i = 0; i < runs.Count; i++)
        {
            var (name, epochs, values) = runs[i];
            var keep = Enumerable.Range(0, Math.Min(epochs.Length, values.Length)).Where(k => double.IsFinite(epochs[k]) && double.IsFinite(values[k])).ToArray();
            if (keep.Length == 0) continue;
            var line = plot.Add.Scatter(keep.Select(k => epochs[k]).ToArray(), keep.Select(k => values[k]).ToArray(), Palette[i % Palette.Length]);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = keep.Length > 40 ? 0 : 5;
        }
        if (plot.GetPlottables().Any()) plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>A sweep's jobs: the metric each trial reached at each ASHA rung (a line per trial).</summary>
    public static Plot Rungs(string metric, IReadOnlyList<RunCatalog.SweepJob> jobs)
    {
        var plot = NewPlot($"{metric} by rung", "epochs trained", metric);
        foreach (var (g, i) in jobs.Where(j => double.IsFinite(j.Metric)).GroupBy(j => j.Trial).OrderBy(g => g.Key).Select((g, i) => (g, i)))
        {
            var pts = g.OrderBy(j => j.Epochs).ToList();
            var line = plot.Add.Scatter(pts.Select(j => (double)j.Epochs).ToArray(), pts.Select(j => j.Metric).ToArray(), Palette[i % Palette.Length]);
            line.LegendText = $"trial {g.Key}";
            line.MarkerSize = 6;
        }
        if (plot.GetPlottables().Any()) plot.ShowLegend(Edge.Right);
        return plot;
    }
}
