using System.Globalization;
using System.Net;
using System.Text;
using AverLab.Training.Metrics;
using AverLab.Runs;

namespace AverLab.Training.Reports;

/// <summary>Writes report.html: one self-contained page (inline CSS, no scripts) with the run's facts, test metrics,
/// and the run's figures (<see cref="RunFigures"/>) embedded as PNG data: URIs, so it opens offline and on its own;
/// each figure links to its PNG and SVG under plots/ beside the report.</summary>
public static class ReportWriter
{
    /// <param name="figures">The figures to show, as <see cref="RunFigures.Render"/> made them (and saved them to
    /// plots/); rendered here from <paramref name="history"/> and <paramref name="test"/> when not given.</param>
    public static string Render(string title, IReadOnlyDictionary<string, string> facts, IReadOnlyList<EpochRecord> history,
        ClassificationMetrics? test, string testSplitName = "test", IReadOnlyList<Figure>? figures = null)
    {
        figures ??= RunFigures.Render(history, test);
        static string E(string s) => WebUtility.HtmlEncode(s);
        static string P(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>");
        sb.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:1em}")
          .Append("figure{margin:0}img{max-width:100%;height:auto}figcaption{font-size:0.9em;color:#444}</style></head><body>");
        sb.Append("<h1>").Append(E(title)).Append("</h1>");
        sb.Append("<h2>Run</h2><table id=\"facts\">");
        foreach (var (k, v) in facts) sb.Append("<tr><th>").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>");
        sb.Append("</table>");

        if (test != null)
        {
            sb.Append("<h2>Metrics on the ").Append(E(testSplitName)).Append(" split (").Append(test.Count).Append(" items)</h2><table id=\"metrics\">");
            void Row(string name, double v, ConfidenceInterval? ci = null) =>
                sb.Append("<tr><th>").Append(name).Append("</th><td>").Append(P(v))
                  .Append(ci is { } c ? $" (95% CI {P(c.Lower)}–{P(c.Upper)})" : "").Append("</td></tr>");
            Row("accuracy", test.Accuracy, test.AccuracyCi);
            Row("balanced accuracy", test.BalancedAccuracy);
            Row("macro F1", test.MacroF1, test.MacroF1Ci);
            Row("weighted F1", test.WeightedF1);
            Row("macro ROC AUC (one-vs-rest)", test.RocAucMacro);
            Row($"expected calibration error ({test.EceBins} bins)", test.ExpectedCalibrationError);
            sb.Append("</table>");
        }

        void Section(string heading, params string[] ids)
        {
            var shown = ids.Select(id => figures.FirstOrDefault(f => f.Id == id)).OfType<Figure>().ToList();
            if (shown.Count == 0) return;
            sb.Append("<h2>").Append(heading).Append("</h2><div class=\"charts\">");
            foreach (var f in shown)
                sb.Append("<figure id=\"").Append(f.Id).Append("\"><img src=\"").Append(f.PngDataUri).Append("\" width=\"").Append(f.Width)
                  .Append("\" height=\"").Append(f.Height).Append("\" alt=\"").Append(E(f.Caption)).Append("\"><figcaption>").Append(E(f.Caption))
                  .Append(" · <a href=\"").Append(RunFigures.Folder).Append('/').Append(f.PngFile).Append("\">PNG</a> · <a href=\"")
                  .Append(RunFigures.Folder).Append('/').Append(f.SvgFile).Append("\">SVG</a></figcaption></figure>");
            sb.Append("</div>");
        }

        Section("Training curves", "loss-curve", "accuracy-curve", "lr-curve");
        if (test != null)
        {
            Section("Per class", "confusion-matrix", "confusion-matrix-normalized", "per-class-f1");
            sb.Append("<table id=\"per-class\"><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>");
            for (var c = 0; c < test.Labels.Length; c++)
                sb.Append("<tr><td>").Append(E(test.Labels[c])).Append("</td><td>").Append(P(test.Precision[c])).Append("</td><td>")
                  .Append(P(test.Recall[c])).Append("</td><td>").Append(P(test.F1[c])).Append("</td><td>").Append(test.Support[c]).Append("</td></tr>");
            sb.Append("</table>");
            Section("Ranking and calibration", "roc-curves", "reliability-diagram");
        }
        sb.Append(ExplanationsStart).Append(ExplanationsEnd);
        sb.Append("<h2>History</h2><table id=\"history\"><tr><th>epoch</th><th>train loss</th><th>train acc</th><th>val loss</th><th>val acc</th><th>lr</th><th>seconds</th></tr>");
        foreach (var h in history)
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{h.Epoch}</td><td>{P(h.TrainLoss)}</td><td>{P(h.TrainAcc)}</td><td>{P(h.ValLoss)}</td><td>{P(h.ValAcc)}</td><td>{h.Lr:G4}</td><td>{h.Seconds:F1}</td></tr>");
        sb.Append("</table></body></html>");
        return sb.ToString();
    }

    private const string ExplanationsStart = "<!-- explanations -->", ExplanationsEnd = "<!-- /explanations -->";

    /// <summary>report.html with its Explanations section (the `explain` command's figures embedded, each linking to its
    /// PNG and SVG under explanations/, and the summary's convergence figures) in place of the previous one: between the
    /// markers <see cref="Render"/> leaves, or before the History heading (or the end of the body) of a report written
    /// before the markers existed.</summary>
    public static string WithExplanations(string html, IReadOnlyList<Figure> figures, System.Text.Json.Nodes.JsonObject summary)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append(ExplanationsStart).Append("<section id=\"explanations\"><h2>Explanations</h2><p>Computed by <code>averlab-train explain</code> on the ")
          .Append(E(summary["checkpoint"]?.ToString() ?? "best")).Append(" checkpoint (seed ").Append(E(summary["seed"]?.ToString() ?? "")).Append("). Numbers: <a href=\"")
          .Append(RunLayout.ExplanationsDir).Append('/').Append(RunLayout.ExplanationsJson).Append("\">").Append(RunLayout.ExplanationsJson).Append("</a>");
        if (summary["shapley"] is System.Text.Json.Nodes.JsonObject sh)
            sb.Append(", <a href=\"").Append(Experiments.RunExplainer.FolderName).Append("/shapley.csv\">shapley.csv</a> (").Append(E(sh["permutations"]?.ToString() ?? ""))
              .Append(" permutations per item; mean |efficiency gap| ").Append(E(sh["efficiency_gap_mean_abs"]?.ToString() ?? "n/a"))
              .Append(", mean standard error ").Append(E(sh["standard_error_mean"]?.ToString() ?? "n/a")).Append(')');
        if (summary["permutation_importance"] is not null)
            sb.Append(", <a href=\"").Append(Experiments.RunExplainer.FolderName).Append("/permutation_importance.csv\">permutation_importance.csv</a>");
        if (summary["tsne"] is not null)
            sb.Append(", <a href=\"").Append(Experiments.RunExplainer.FolderName).Append("/tsne.csv\">tsne.csv</a>");
        sb.Append(".</p>");
        if (summary["not_applicable"] is System.Text.Json.Nodes.JsonObject na && na.Count > 0)
        {
            sb.Append("<p class=\"not-applicable\">Not computed for this model: ");
            sb.Append(string.Join("; ", na.Select(p => $"{E(p.Key.Replace('_', ' '))}: {E(p.Value?.ToString() ?? "")}")));
            sb.Append(".</p>");
        }
        sb.Append("<div class=\"charts\">");
        foreach (var f in figures)
            sb.Append("<figure id=\"").Append(f.Id).Append("\"><img src=\"").Append(f.PngDataUri).Append("\" width=\"").Append(f.Width)
              .Append("\" height=\"").Append(f.Height).Append("\" alt=\"").Append(E(f.Caption)).Append("\"><figcaption>").Append(E(f.Caption))
              .Append(" · <a href=\"").Append(Experiments.RunExplainer.FolderName).Append('/').Append(f.PngFile).Append("\">PNG</a> · <a href=\"")
              .Append(Experiments.RunExplainer.FolderName).Append('/').Append(f.SvgFile).Append("\">SVG</a></figcaption></figure>");
        sb.Append("</div></section>").Append(ExplanationsEnd);
        var section = sb.ToString();
        var start = html.IndexOf(ExplanationsStart, StringComparison.Ordinal);
        var end = start < 0 ? -1 : html.IndexOf(ExplanationsEnd, start, StringComparison.Ordinal);
        if (start >= 0 && end >= 0) return html[..start] + section + html[(end + ExplanationsEnd.Length)..];
        var at = html.IndexOf("<h2>History</h2>", StringComparison.Ordinal);
        if (at < 0) at = html.LastIndexOf("</body>", StringComparison.Ordinal);
        if (at < 0) at = html.Length;
        return html[..at] + section + html[at..];
    }
}
