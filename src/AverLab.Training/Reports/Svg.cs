using System.Globalization;
using System.Net;
using System.Text;

namespace AverLab.Training.Reports;

/// <summary>Self-contained SVG charts for report.html (no scripts, no external assets: opens offline).</summary>
public static class Svg
{
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>A line chart of named series over x = 1..n (epochs); NaN points are skipped.</summary>
    public static string LineChart(string title, string yLabel, IReadOnlyList<(string name, IReadOnlyList<double> values)> series,
        int width = 520, int height = 300, bool logY = false)
    {
        const int left = 60, right = 120, top = 30, bottom = 40;
        var all = series.SelectMany(s => s.values).Where(v => double.IsFinite(v) && (!logY || v > 0)).ToList();
        var n = series.Count == 0 ? 0 : series.Max(s => s.values.Count);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"{E(title)}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{E(title)}</text>");
        if (all.Count == 0 || n == 0)
            return sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\">no data</text></svg>").ToString();
        double Tr(double v) => logY ? Math.Log10(v) : v;
        double lo = Tr(all.Min()), hi = Tr(all.Max());
        if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
        var pw = width - left - right;
        var ph = height - top - bottom;
        double X(int i) => left + (n == 1 ? pw / 2.0 : i * pw / (double)(n - 1));
        double Y(double v) => top + ph - (Tr(v) - lo) / (hi - lo) * ph;
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#999\"/>");
        for (var t = 0; t <= 4; t++)
        {
            var v = lo + (hi - lo) * t / 4;
            var y = top + ph - ph * t / 4.0;
            var label = logY ? Math.Pow(10, v) : v;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + pw}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#eee\"/><text x=\"{left - 5}\" y=\"{F(y + 4)}\" text-anchor=\"end\" font-size=\"10\">{label.ToString("G3", CultureInfo.InvariantCulture)}</text>");
        }
        foreach (var i in new[] { 0, (n - 1) / 2, n - 1 }.Distinct())
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(i))}\" y=\"{top + ph + 15}\" text-anchor=\"middle\" font-size=\"10\">{i + 1}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + pw / 2}\" y=\"{height - 5}\" text-anchor=\"middle\" font-size=\"11\">epoch</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{top + ph / 2}\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 12 {top + ph / 2})\">{E(yLabel)}</text>");
        for (var s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var points = series[s].values.Select((v, i) => (v, i)).Where(p => double.IsFinite(p.v) && (!logY || p.v > 0))
                .Select(p => $"{F(X(p.i))},{F(Y(p.v))}");
            sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" data-name=\"{E(series[s].name)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + pw + 10}\" y=\"{top + 10 + s * 18}\" width=\"12\" height=\"3\" fill=\"{color}\"/><text x=\"{left + pw + 27}\" y=\"{top + 15 + s * 18}\" font-size=\"11\">{E(series[s].name)}</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>A confusion-matrix heatmap: colour from the row-normalized value, text the count.</summary>
    public static string ConfusionHeatmap(string[] labels, long[,] counts, double[,] normalized)
    {
        var k = labels.Length;
        const int cell = 44, left = 110, top = 40;
        int width = left + k * cell + 20, height = top + k * cell + 90;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"confusion\" role=\"img\" aria-label=\"confusion matrix\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">Confusion matrix (rows: true, columns: predicted)</text>");
        for (var i = 0; i < k; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{top + i * cell + cell / 2 + 4}\" text-anchor=\"end\" font-size=\"11\">{E(labels[i])}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + i * cell + cell / 2}\" y=\"{top + k * cell + 12}\" text-anchor=\"end\" font-size=\"11\" transform=\"rotate(-45 {left + i * cell + cell / 2} {top + k * cell + 12})\">{E(labels[i])}</text>");
            for (var j = 0; j < k; j++)
            {
                var v = normalized[i, j];
                var shade = (int)Math.Round(255 - v * 200);
                var fill = $"rgb({shade},{shade},255)";
                sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"cell\" x=\"{left + j * cell}\" y=\"{top + i * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#fff\"><title>{E(labels[i])} → {E(labels[j])}: {counts[i, j]} ({v:P1})</title></rect>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + j * cell + cell / 2}\" y=\"{top + i * cell + cell / 2 + 4}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{(v > 0.6 ? "#fff" : "#000")}\">{counts[i, j]}</text>");
            }
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Horizontal bars in [0, 1] (per-class F1).</summary>
    public static string Bars(string title, string[] labels, double[] values)
    {
        const int left = 110, barH = 18, top = 30, pw = 300;
        var height = top + labels.Length * (barH + 6) + 10;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bars\" role=\"img\" aria-label=\"{E(title)}\" width=\"{left + pw + 60}\" height=\"{height}\" viewBox=\"0 0 {left + pw + 60} {height}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + pw) / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{E(title)}</text>");
        for (var i = 0; i < labels.Length; i++)
        {
            var y = top + i * (barH + 6);
            var v = double.IsFinite(values[i]) ? Math.Clamp(values[i], 0, 1) : 0;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{y + 13}\" text-anchor=\"end\" font-size=\"11\">{E(labels[i])}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{left}\" y=\"{y}\" width=\"{F(v * pw)}\" height=\"{barH}\" fill=\"{Palette[2]}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + v * pw + 5)}\" y=\"{y + 13}\" font-size=\"11\">{values[i].ToString("0.000", CultureInfo.InvariantCulture)}</text>");
        }
        return sb.Append("</svg>").ToString();
    }
}
