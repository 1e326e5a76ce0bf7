using AverLab.IO;
using ScottPlot;

namespace AverLab.Training.Reports;

/// <summary>A rendered figure: its file name (without extension), the element id and caption report.html gives it,
/// and the same picture as PNG bytes and as SVG text.</summary>
public sealed record Figure(string Name, string Id, string Caption, int Width, int Height, byte[] Png, string Svg)
{
    /// <summary>Renders <paramref name="plot"/> at <paramref name="width"/> x <paramref name="height"/> pixels to PNG and
    /// SVG, then disposes it.</summary>
    public static Figure Render(string name, string id, string caption, Plot plot, int width, int height)
    {
        using (plot)
        {
            var png = plot.GetImageBytes(width, height, ImageFormat.Png);
            // ScottPlot names the face alone; a viewer without DejaVu Sans then falls back to its serif default.
            var svg = plot.GetSvgXml(width, height)
                .Replace($"font-family=\"{Figures.FontName}\"", $"font-family=\"{Figures.FontName}, sans-serif\"", StringComparison.Ordinal);
            return new Figure(name, id, caption, width, height, png, svg);
        }
    }

    public string PngFile => Name + ".png";
    public string SvgFile => Name + ".svg";

    /// <summary>Writes <c>Name.png</c> and <c>Name.svg</c> into <paramref name="dir"/>, each atomically (temp file,
    /// then rename), so a reader never sees half a picture.</summary>
    public void Save(string dir)
    {
        AtomicFile.WriteAllBytes(Path.Combine(dir, PngFile), Png);
        AtomicFile.WriteAllText(Path.Combine(dir, SvgFile), Svg);
    }

    /// <summary>The PNG as a data: URI, for a page that must open offline on its own.</summary>
    public string PngDataUri => "data:image/png;base64," + Convert.ToBase64String(Png);
}
