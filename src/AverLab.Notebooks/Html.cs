using System.Globalization;
using System.Net;
using System.Text;
using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;
using AverLab.Training.Metrics;
using AverLab.Training.Reports;

namespace AverLab.Notebooks;

/// <summary>HTML/SVG formatters for what notebooks display (the role Microsoft.DotNet.Interactive.Formatting plays
/// in Polyglot Notebooks; that package is not installable here): tensors as tables, metrics with their confusion
/// matrix, ScottPlot figures (AverLab.Training.Reports.Figures) as PNG images, anything else as escaped text.</summary>
public static class Html
{
    private static readonly Dictionary<Type, Func<object, string>> Formatters = new()
    {
        [typeof(Tensor)] = o => Tensor((Tensor)o),
        [typeof(ClassificationMetrics)] = o => Metrics((ClassificationMetrics)o),
        [typeof(ScottPlot.Plot)] = o => Plot((ScottPlot.Plot)o),
    };

    /// <summary>Registers a formatter for a type (user-extensible, as Formatter.Register in .NET Interactive).</summary>
    public static void Register<T>(Func<T, string> format) => Formatters[typeof(T)] = o => format((T)o);

    public static string Format(object? value)
    {
        if (value is null) return "<pre>null</pre>";
        if (value is RawHtml raw) return raw.Html;
        for (var t = value.GetType(); t != null; t = t.BaseType)
            if (Formatters.TryGetValue(t, out var f)) return f(value);
        if (value is string s) return $"<pre>{WebUtility.HtmlEncode(s)}</pre>";
        if (value is System.Collections.IEnumerable e and not string) return Table(e.Cast<object?>().Select(x => new[] { x?.ToString() ?? "" }), ["value"]);
        return $"<pre>{WebUtility.HtmlEncode(value.ToString())}</pre>";
    }

    public static string Tensor(Tensor t)
    {
        var shape = string.Join(" x ", t.shape);
        var header = $"<div class=\"tensor\"><b>tensor</b> [{shape}] {t.dtype.ToString().ToLowerInvariant()}";
        if (t.dim() != 2 || t.numel() > 400) return header + $"<pre>{WebUtility.HtmlEncode(t.ToString())}</pre></div>";
        using var d = t.detach().to(ScalarType.Float64);
        var v = d.data<double>().ToArray();
        var cols = (int)t.shape[1];
        var rows = Enumerable.Range(0, (int)t.shape[0]).Select(r => Enumerable.Range(0, cols).Select(c => v[r * cols + c].ToString("G4", CultureInfo.InvariantCulture)));
        return header + Table(rows, Enumerable.Range(0, cols).Select(c => c.ToString(CultureInfo.InvariantCulture))) + "</div>";
    }

    public static string Metrics(ClassificationMetrics m)
    {
        var rows = m.Labels.Select((l, c) => new[]
        {
            l, m.Precision[c].ToString("0.000", CultureInfo.InvariantCulture), m.Recall[c].ToString("0.000", CultureInfo.InvariantCulture),
            m.F1[c].ToString("0.000", CultureInfo.InvariantCulture), m.Support[c].ToString(CultureInfo.InvariantCulture),
        });
        return $"<div class=\"metrics\"><p>accuracy {m.Accuracy:0.000} · balanced {m.BalancedAccuracy:0.000} · macro F1 {m.MacroF1:0.000} · ROC AUC {m.RocAucMacro:0.000}</p>"
               + Plot(Figures.ConfusionCounts(m.Labels, m.Confusion), 560, 480, dispose: true)
               + Table(rows, ["class", "precision", "recall", "F1", "support"]) + "</div>";
    }

    /// <summary>A figure (<see cref="Figures"/>, or any ScottPlot plot) as an embedded PNG.</summary>
    public static string Plot(ScottPlot.Plot plot, int width = 640, int height = 420, bool dispose = false)
    {
        try
        {
            var png = plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
            return $"<img class=\"figure\" width=\"{width}\" height=\"{height}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";
        }
        finally
        {
            if (dispose) plot.Dispose();
        }
    }

    public static string Table(IEnumerable<IEnumerable<string>> rows, IEnumerable<string> header)
    {
        var sb = new StringBuilder("<table><tr>");
        foreach (var h in header) sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr>");
        foreach (var r in rows)
        {
            sb.Append("<tr>");
            foreach (var c in r) sb.Append("<td>").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</table>").ToString();
    }
}

/// <summary>Markup to display as it is (an SVG chart, a report fragment).</summary>
public sealed record RawHtml(string Html)
{
    public static RawHtml Svg(string svg) => new(svg);
}
