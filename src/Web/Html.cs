using System.Globalization;
using System.Net;
using System.Text;

namespace AverLab.Web;

/// <summary>Small helpers for the server-rendered pages: every text from a file or a request goes through
/// <see cref="E"/> (HTML-encoded).</summary>
public static class Html
{
    public static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string N(double? v, string format = "0.000") => v is { } d && double.IsFinite(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string WithCi(double? v, double[]? ci) => ci is { Length: 2 } ? $"{N(v)} [{N(ci[0])}, {N(ci[1])}]" : N(v);

    /// <summary>The page around a body: navigation, the stylesheet and the script of this server (nothing external).</summary>
    public static IResult Page(string title, string body, int status = 200) => Results.Content($$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}} · AverLab</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css"></head>
        <body><header><a class="brand" href="/">AverLab</a><nav><a href="/">Analyse</a><a href="/analyses">Analyses</a><a href="/experiments">Experiments</a></nav></header>
        <main>{{body}}</main><script src="/static/app.js"></script></body></html>
        """, "text/html; charset=utf-8", Encoding.UTF8, status);

    public static string Table(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows, string? id = null)
    {
        var sb = new StringBuilder(id == null ? "<table>" : $"<table id=\"{E(id)}\">");
        sb.Append("<thead><tr>");
        foreach (var h in header) sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row) sb.Append("<td>").Append(cell).Append("</td>"); // cells are HTML already
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }
}
