using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using AverLab.Training.Metrics;
using AverLab.Training.Reports;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Formatting.TabularData;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Notebooks;

/// <summary>How notebooks show AverLab's values, registered with Microsoft.DotNet.Interactive.Formatting (the
/// formatter Polyglot Notebooks uses): ScottPlot plots as PNG images (<c>image/png</c>), DataFrames as HTML tables
/// (through the package's <see cref="TabularDataResource"/> table), tensors with their shape, dtype and (when small)
/// values, classification metrics as a summary, confusion matrix and per-class table. Each notebook's first cell
/// calls <see cref="Register"/> after its <c>#r</c> line; calling it again does nothing.</summary>
public static class NotebookFormatters
{
    private static int registered;
    private static readonly ConditionalWeakTable<ScottPlot.Plot, PlotSize> Sizes = [];

    /// <summary>The size a plot is drawn at when nothing was set with <see cref="WithSize"/>.</summary>
    public const int DefaultWidth = 640, DefaultHeight = 420;

    /// <summary>Rows a DataFrame shows (the rest are counted below the table).</summary>
    public const int MaxRows = 200;

    private sealed record PlotSize(int Width, int Height);

    public static void Register()
    {
        // Once per process; again if something reset the formatter since (Formatter.ResetToDefault).
        if (Interlocked.Exchange(ref registered, 1) == 1 && Formatter.GetPreferredMimeTypesFor(typeof(ScottPlot.Plot)).Contains("image/png")) return;

        Formatter.Register<ScottPlot.Plot>((plot, context) =>
        {
            context.Writer.Write(Convert.ToBase64String(Png(plot)));
            return true;
        }, "image/png");
        Formatter.Register<ScottPlot.Plot>((plot, context) =>
        {
            context.Writer.Write(ImgTag(plot));
            return true;
        }, HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(ScottPlot.Plot), "image/png");

        // An audio clip: a player with the WAV inline.
        Formatter.Register<AudioClip>((clip, context) =>
        {
            context.Writer.Write(clip.Html());
            return true;
        }, HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(AudioClip), HtmlFormatter.MimeType);

        // A rendered run figure (the explain command's, the report's): its PNG, with the caption under it in HTML.
        Formatter.Register<AverLab.Training.Reports.Figure>((f, context) =>
        {
            context.Writer.Write(Convert.ToBase64String(f.Png));
            return true;
        }, "image/png");
        Formatter.Register<AverLab.Training.Reports.Figure>((f, context) =>
        {
            context.Writer.Write($"<figure><img src=\"{f.PngDataUri}\" width=\"{f.Width}\" height=\"{f.Height}\"><figcaption>{System.Net.WebUtility.HtmlEncode(f.Caption)}</figcaption></figure>");
            return true;
        }, HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(AverLab.Training.Reports.Figure), HtmlFormatter.MimeType);

        Formatter.Register<DataFrame>((df, context) =>
        {
            Formatter.FormatTo(ToTabularDataResource(df, MaxRows), context, HtmlFormatter.MimeType);
            if (df.Rows.Count > MaxRows) context.Writer.Write($"<p>{MaxRows} of {df.Rows.Count} rows shown</p>");
            return true;
        }, HtmlFormatter.MimeType);
        Formatter.Register<DataFrame>((df, context) =>
        {
            context.Writer.Write(df.ToString());
            return true;
        }, PlainTextFormatter.MimeType);

        Formatter.Register<Tensor>((t, context) =>
        {
            context.Writer.Write($"<div class=\"tensor\"><b>tensor</b> {WebUtility.HtmlEncode(Describe(t))}</div>");
            if (t.numel() <= 400 && t.dim() is 1 or 2 && !t.is_complex())
                Formatter.FormatTo(ToTabularDataResource(TensorTable(t), MaxRows), context, HtmlFormatter.MimeType);
            else
                context.Writer.Write($"<pre>{WebUtility.HtmlEncode(TensorText(t))}</pre>");
            return true;
        }, HtmlFormatter.MimeType);
        Formatter.Register<Tensor>((t, context) =>
        {
            context.Writer.Write($"tensor {Describe(t)}\n{TensorText(t)}");
            return true;
        }, PlainTextFormatter.MimeType);

        Formatter.Register<ClassificationMetrics>((m, context) =>
        {
            context.Writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"<div class=\"metrics\"><p>accuracy {m.Accuracy:0.000} · balanced {m.BalancedAccuracy:0.000} · macro F1 {m.MacroF1:0.000} · ROC AUC {m.RocAucMacro:0.000} · ECE {m.ExpectedCalibrationError:0.000} · n = {m.Count}</p>"));
            using (var confusion = Figures.ConfusionCounts(m.Labels, m.Confusion))
                context.Writer.Write(ImgTag(confusion, 560, 480));
            Formatter.FormatTo(ToTabularDataResource(Tables.PerClass(m), MaxRows), context, HtmlFormatter.MimeType);
            context.Writer.Write("</div>");
            return true;
        }, HtmlFormatter.MimeType);
        Formatter.Register<ClassificationMetrics>((m, context) =>
        {
            context.Writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"accuracy {m.Accuracy:0.000}, balanced {m.BalancedAccuracy:0.000}, macro F1 {m.MacroF1:0.000}, ROC AUC {m.RocAucMacro:0.000} (n = {m.Count})"));
            return true;
        }, PlainTextFormatter.MimeType);
    }

    /// <summary>Sets the size (pixels) <paramref name="plot"/> is drawn at when displayed; returns the plot.</summary>
    public static ScottPlot.Plot WithSize(this ScottPlot.Plot plot, int width, int height)
    {
        Sizes.AddOrUpdate(plot, new PlotSize(width, height));
        return plot;
    }

    /// <summary>The plot as PNG bytes, at its <see cref="WithSize"/> size or the default.</summary>
    public static byte[] Png(ScottPlot.Plot plot, int? width = null, int? height = null)
    {
        var size = Sizes.TryGetValue(plot, out var s) ? s : new PlotSize(DefaultWidth, DefaultHeight);
        return plot.GetImageBytes(width ?? size.Width, height ?? size.Height, ScottPlot.ImageFormat.Png);
    }

    private static string ImgTag(ScottPlot.Plot plot, int? width = null, int? height = null)
    {
        var size = Sizes.TryGetValue(plot, out var s) ? s : new PlotSize(DefaultWidth, DefaultHeight);
        int w = width ?? size.Width, h = height ?? size.Height;
        return $"<img class=\"figure\" width=\"{w}\" height=\"{h}\" src=\"data:image/png;base64,{Convert.ToBase64String(Png(plot, w, h))}\">";
    }

    /// <summary>A DataFrame as the package's tabular resource (what Polyglot renders as a table), first
    /// <paramref name="maxRows"/> rows.</summary>
    public static TabularDataResource ToTabularDataResource(DataFrame df, int maxRows = int.MaxValue)
    {
        var schema = new TableSchema();
        foreach (var column in df.Columns)
            schema.Fields.Add(new TableSchemaFieldDescriptor(column.Name, TabularDataResourceFormatter.ToTableSchemaFieldType(column.DataType)));
        var rows = new List<IDictionary<string, object?>>();
        for (long r = 0; r < Math.Min(df.Rows.Count, maxRows); r++)
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var column in df.Columns) row[column.Name] = column[r];
            rows.Add(row);
        }
        return new TabularDataResource(schema, rows);
    }

    private static string Describe(Tensor t) => $"[{string.Join(" x ", t.shape)}] {t.dtype.ToString().ToLowerInvariant()} {t.device}";

    private static string TensorText(Tensor t) => t.ToString(TorchSharp.TensorStringStyle.Numpy);

    /// <summary>A 1-D or 2-D real tensor as a DataFrame, one column per tensor column.</summary>
    private static DataFrame TensorTable(Tensor t)
    {
        using var scope = NewDisposeScope();
        var d = t.detach().cpu().to(ScalarType.Float64);
        if (d.dim() == 1) d = d.unsqueeze(1);
        var v = d.data<double>().ToArray();
        int rows = (int)d.shape[0], cols = (int)d.shape[1];
        var columns = Enumerable.Range(0, cols).Select(c =>
            (DataFrameColumn)new DoubleDataFrameColumn(c.ToString(CultureInfo.InvariantCulture), Enumerable.Range(0, rows).Select(r => v[r * cols + c])));
        return new DataFrame(columns);
    }
}
