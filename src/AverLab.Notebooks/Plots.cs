using System.Globalization;
using System.Text;
using AverLab.Inference;

namespace AverLab.Notebooks;

/// <summary>Small SVG drawings for notebooks: a waveform, a feature heatmap (MFCC), an emotion timeline, and a
/// grayscale image.</summary>
public static class Plots
{
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static RawHtml Waveform(float[] samples, int sampleRate, int width = 600, int height = 120)
    {
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"waveform\" width=\"{width}\" height=\"{height}\">");
        var step = Math.Max(1, samples.Length / width);
        var max = Math.Max(1e-6f, samples.Max(Math.Abs));
        sb.Append("<polyline fill=\"none\" stroke=\"#1f77b4\" points=\"");
        for (int x = 0, i = 0; i < samples.Length; x++, i += step)
        {
            var lo = float.MaxValue; var hi = float.MinValue;
            for (var j = i; j < Math.Min(samples.Length, i + step); j++) { lo = Math.Min(lo, samples[j]); hi = Math.Max(hi, samples[j]); }
            sb.Append(F(x)).Append(',').Append(F(height / 2.0 - hi / max * height / 2.2)).Append(' ');
            sb.Append(F(x)).Append(',').Append(F(height / 2.0 - lo / max * height / 2.2)).Append(' ');
        }
        sb.Append(CultureInfo.InvariantCulture, $"\"/><text x=\"4\" y=\"12\" font-size=\"10\">{samples.Length / (double)sampleRate:0.00} s</text></svg>");
        return new RawHtml(sb.ToString());
    }

    /// <summary>A [rows, cols] map, row 0 at the bottom (as librosa.display.specshow draws it).</summary>
    public static RawHtml Heatmap(float[] data, int rows, int cols, int cell = 2)
    {
        float lo = data.Min(), hi = data.Max();
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"{cols * cell}\" height=\"{rows * cell * 3}\">");
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                var v = (data[r * cols + c] - lo) / Math.Max(1e-9f, hi - lo);
                var red = (int)(255 * v); var blue = 255 - red;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{c * cell}\" y=\"{(rows - 1 - r) * cell * 3}\" width=\"{cell}\" height=\"{cell * 3}\" fill=\"rgb({red},40,{blue})\"/>");
            }
        return new RawHtml(sb.Append("</svg>").ToString());
    }

    public static RawHtml Timeline(IReadOnlyList<TimelineEntry> entries, int width = 600)
    {
        var end = entries.Count == 0 ? 1 : entries.Max(e => e.End);
        var names = entries.Select(e => e.Emotion).Distinct().Order().ToList();
        string[] palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"{width}\" height=\"60\">");
        foreach (var e in entries)
        {
            var x = e.Start / end * width; var w = Math.Max(1, (e.End - e.Start) / end * width);
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"10\" width=\"{F(w)}\" height=\"24\" fill=\"{palette[names.IndexOf(e.Emotion) % palette.Length]}\"><title>{e.Start:0.0}-{e.End:0.0}s {e.Emotion}</title></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 2)}\" y=\"50\" font-size=\"10\">{e.Emotion}</text>");
        }
        return new RawHtml(sb.Append("</svg>").ToString());
    }

    public static RawHtml Gray(byte[] pixels, int width, int height, int scale = 2)
    {
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"image\" width=\"{width * scale}\" height=\"{height * scale}\">");
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = pixels[y * width + x];
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x * scale}\" y=\"{y * scale}\" width=\"{scale}\" height=\"{scale}\" fill=\"rgb({v},{v},{v})\"/>");
            }
        return new RawHtml(sb.Append("</svg>").ToString());
    }
}
