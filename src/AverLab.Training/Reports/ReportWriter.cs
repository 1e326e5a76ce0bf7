using System.Globalization;
using System.Net;
using System.Text;
using AverLab.Training.Metrics;

namespace AverLab.Training.Reports;

/// <summary>Writes report.html: one self-contained page (inline CSS and SVG, no scripts) with the run's facts,
/// test metrics, learning curves, LR curve, confusion-matrix heatmap and per-class F1.</summary>
public static class ReportWriter
{
    public static string Render(string title, IReadOnlyDictionary<string, string> facts, IReadOnlyList<EpochRecord> history,
        ClassificationMetrics? test, string testSplitName = "test")
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        static string P(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>");
        sb.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:1em}")
          .Append("figure{margin:0}</style></head><body>");
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

        sb.Append("<h2>Training curves</h2><div class=\"charts\">");
        var epochs = history.Select(h => h).ToList();
        sb.Append("<figure id=\"loss-curve\">").Append(Svg.LineChart("Loss", "loss",
            [("train", epochs.Select(h => h.TrainLoss).ToList()), ("validation", epochs.Select(h => h.ValLoss).ToList())])).Append("</figure>");
        sb.Append("<figure id=\"accuracy-curve\">").Append(Svg.LineChart("Accuracy", "accuracy",
            [("train", epochs.Select(h => h.TrainAcc).ToList()), ("validation", epochs.Select(h => h.ValAcc).ToList())])).Append("</figure>");
        sb.Append("<figure id=\"lr-curve\">").Append(Svg.LineChart("Learning rate", "lr",
            [("lr", epochs.Select(h => h.Lr).ToList())], logY: epochs.All(h => h.Lr > 0))).Append("</figure>");
        sb.Append("</div>");

        if (test != null)
        {
            sb.Append("<h2>Per class</h2><div class=\"charts\"><figure id=\"confusion-matrix\">")
              .Append(Svg.ConfusionHeatmap(test.Labels, test.Confusion, test.ConfusionNormalized)).Append("</figure>");
            sb.Append("<figure id=\"per-class-f1\">").Append(Svg.Bars("F1 per class", test.Labels, test.F1)).Append("</figure></div>");
            sb.Append("<table id=\"per-class\"><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>");
            for (var c = 0; c < test.Labels.Length; c++)
                sb.Append("<tr><td>").Append(E(test.Labels[c])).Append("</td><td>").Append(P(test.Precision[c])).Append("</td><td>")
                  .Append(P(test.Recall[c])).Append("</td><td>").Append(P(test.F1[c])).Append("</td><td>").Append(test.Support[c]).Append("</td></tr>");
            sb.Append("</table>");
        }
        sb.Append("<h2>History</h2><table id=\"history\"><tr><th>epoch</th><th>train loss</th><th>train acc</th><th>val loss</th><th>val acc</th><th>lr</th><th>seconds</th></tr>");
        foreach (var h in history)
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{h.Epoch}</td><td>{P(h.TrainLoss)}</td><td>{P(h.TrainAcc)}</td><td>{P(h.ValLoss)}</td><td>{P(h.ValAcc)}</td><td>{h.Lr:G4}</td><td>{h.Seconds:F1}</td></tr>");
        sb.Append("</table></body></html>");
        return sb.ToString();
    }
}
