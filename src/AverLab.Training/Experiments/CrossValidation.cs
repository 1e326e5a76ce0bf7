using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AverLab.IO;
using AverLab.Training.Configuration;
using AverLab.Training.Metrics;
using AverLab.Training.Reports;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>k-fold cross-validation: one normal run per fold (each speaker, or each clip, tested exactly once), then
/// the protocol table — mean, sample standard deviation and 95 % t-interval of the test metrics over folds, and the
/// pooled confusion matrix of every fold's test predictions with its own metrics — written to cv.json, cv.csv,
/// confusion.csv, cv.md and plots/ (confusion matrix PNG + SVG).</summary>
public static class CrossValidation
{
    /// <summary>How folds are drawn: by speaker (no speaker on two sides) or stratified over clips (the seeds'
    /// protocol: every speaker on every side).</summary>
    public enum Protocol { Speaker, Stratified }

    public sealed record FoldResult(int Fold, string Run, double Accuracy, double MacroF1, double BalancedAccuracy, long[,] Confusion)
    {
        /// <summary>The class names of the confusion matrix's rows and columns.</summary>
        public string[] Labels { get; init; } = [];
    }

    public sealed record Summary(string Folder, Protocol Protocol, string[] Labels, IReadOnlyList<FoldResult> Folds, ReferenceConfig? Reference)
    {
        public MeanCi Accuracy => MeanCi.Of(Folds.Select(f => f.Accuracy));
        public MeanCi MacroF1 => MeanCi.Of(Folds.Select(f => f.MacroF1));
        public MeanCi BalancedAccuracy => MeanCi.Of(Folds.Select(f => f.BalancedAccuracy));

        /// <summary>Every fold's test predictions together: each item of the corpus once.</summary>
        public long[,] PooledConfusion
        {
            get
            {
                var k = Labels.Length;
                var sum = new long[k, k];
                foreach (var f in Folds)
                    for (var i = 0; i < k; i++)
                        for (var j = 0; j < k; j++) sum[i, j] += f.Confusion[i, j];
                return sum;
            }
        }

        private ClassificationMetrics? pooled;

        /// <summary>Metrics of the pooled confusion matrix (bootstrap intervals: computed once).</summary>
        public ClassificationMetrics Pooled => pooled ??= FromConfusion(PooledConfusion, Labels);

        public string ProtocolName => Protocol == Protocol.Speaker ? "speaker k-fold (speaker-independent)" : "stratified k-fold over clips (speakers on both sides)";

        public override string ToString()
        {
            var p = Pooled;
            return string.Create(CultureInfo.InvariantCulture,
                $"{Folds.Count}-fold CV, {ProtocolName}: accuracy {Accuracy}, macro F1 {MacroF1}, balanced accuracy {BalancedAccuracy}; pooled over {p.Count} items: accuracy {p.Accuracy:F4}, macro F1 {p.MacroF1:F4} ({Folder})");
        }
    }

    /// <summary>Mean over folds with the sample standard deviation and the two-sided 95 % Student-t interval
    /// mean ± t(0.975, k−1)·sd/√k.</summary>
    public readonly record struct MeanCi(double Mean, double Std, double Lower, double Upper)
    {
        public static MeanCi Of(IEnumerable<double> values)
        {
            var v = values.ToArray();
            var (mean, std) = Stats(v);
            var half = v.Length > 1 ? StudentT975(v.Length - 1) * std / Math.Sqrt(v.Length) : 0;
            return new MeanCi(mean, std, mean - half, mean + half);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {Std:F4} (95% CI {Lower:F4}–{Upper:F4})");

        public JsonObject ToJson() => new() { ["mean"] = Mean, ["std"] = Std, ["ci95_low"] = Lower, ["ci95_high"] = Upper };
    }

    /// <summary>t(0.975, df) for df = 1..30 (tables), then the normal approximation with a 1/df correction.</summary>
    public static double StudentT975(int df) => df switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(df)),
        <= 30 => T975[df - 1],
        _ => 1.959964 + 2.4 / df,
    };

    private static readonly double[] T975 =
    [
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    ];

    public static (double mean, double std) Stats(IEnumerable<double> values)
    {
        var v = values.ToArray();
        var mean = v.Average();
        var std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return (mean, std);
    }

    /// <summary>Metrics of a confusion matrix (rows true, columns predicted), as if its predictions were listed.</summary>
    public static ClassificationMetrics FromConfusion(long[,] confusion, string[] labels)
    {
        var yTrue = new List<int>();
        var yPred = new List<int>();
        for (var i = 0; i < labels.Length; i++)
            for (var j = 0; j < labels.Length; j++)
                for (long n = 0; n < confusion[i, j]; n++) { yTrue.Add(i); yPred.Add(j); }
        return ClassificationMetrics.Compute(yTrue, yPred, labels, bootstrapSamples: 1000, seed: 0);
    }

    /// <summary>The split protocol a cv of <paramref name="protocol"/> sets (data.split.protocol).</summary>
    public static string SplitSetting(Protocol protocol) =>
        "data.split.protocol=" + (protocol == Protocol.Speaker ? "speaker_kfold" : "stratified_kfold");

    public static Summary Run(ConfigLoader.Loaded loaded, Action<string>? log = null, Protocol protocol = Protocol.Speaker) =>
        Run(loaded, new CrossValidationOptions { Log = log, Protocol = protocol });

    public static Summary Run(ConfigLoader.Loaded loaded, CrossValidationOptions options)
    {
        var log = options.Log;
        var config = loaded.Config;
        var k = config.Data.Split.Folds;
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var protocol = options.Protocol;
        var tag = protocol == Protocol.Speaker ? "cv" : "cv-stratified";
        var cvDir = options.ResumeDir ?? Path.Combine(config.Output.Root, config.Name, $"{tag}-{stamp}");
        Directory.CreateDirectory(cvDir);
        var folds = FoldDispatch.Run(loaded, cvDir, options);
        if (folds == null) return new Summary(cvDir, protocol, [], [], config.Reference); // --emit-only
        var labels = folds.Select(f => f.Labels).FirstOrDefault(l => l.Length > 0) ?? [];
        var summary = new Summary(cvDir, protocol, labels, folds, config.Reference);
        Write(summary);
        return summary;
    }

    /// <summary>Writes the protocol table files of a finished cv into its folder (each atomically).</summary>
    public static void Write(Summary s)
    {
        var pooled = s.Pooled;
        var confusionJson = new JsonArray();
        for (var i = 0; i < s.Labels.Length; i++)
            confusionJson.Add(new JsonArray(Enumerable.Range(0, s.Labels.Length).Select(j => (JsonNode)s.PooledConfusion[i, j]).ToArray()));
        var json = new JsonObject
        {
            ["protocol"] = s.Protocol == Protocol.Speaker ? "speaker_kfold" : "stratified_kfold",
            ["folds"] = new JsonArray(s.Folds.Select(x => (JsonNode)new JsonObject
            {
                ["fold"] = x.Fold, ["run"] = x.Run, ["accuracy"] = x.Accuracy, ["macro_f1"] = x.MacroF1, ["balanced_accuracy"] = x.BalancedAccuracy,
            }).ToArray()),
            ["accuracy"] = s.Accuracy.ToJson(),
            ["macro_f1"] = s.MacroF1.ToJson(),
            ["balanced_accuracy"] = s.BalancedAccuracy.ToJson(),
            ["pooled"] = new JsonObject
            {
                ["items"] = pooled.Count,
                ["accuracy"] = pooled.Accuracy,
                ["accuracy_ci95"] = pooled.AccuracyCi is { } a ? new JsonArray(a.Lower, a.Upper) : null,
                ["macro_f1"] = pooled.MacroF1,
                ["macro_f1_ci95"] = pooled.MacroF1Ci is { } m ? new JsonArray(m.Lower, m.Upper) : null,
                ["labels"] = new JsonArray(s.Labels.Select(l => (JsonNode)l).ToArray()),
                ["confusion"] = confusionJson,
            },
        };
        if (s.Reference is { } r)
            json["reference"] = new JsonObject { ["accuracy"] = r.Accuracy, ["protocol"] = r.Protocol, ["source"] = r.Source };
        AtomicFile.WriteAllText(Path.Combine(s.Folder, RunLayout.CvJson), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        var csv = new StringBuilder("fold,accuracy,macro_f1,balanced_accuracy,run\n");
        foreach (var x in s.Folds) csv.Append(CultureInfo.InvariantCulture, $"{x.Fold},{x.Accuracy:R},{x.MacroF1:R},{x.BalancedAccuracy:R},{x.Run}\n");
        AtomicFile.WriteAllText(Path.Combine(s.Folder, "cv.csv"), csv.ToString());

        var conf = new StringBuilder("true\\predicted," + string.Join(",", s.Labels) + "\n");
        for (var i = 0; i < s.Labels.Length; i++)
            conf.Append(s.Labels[i]).Append(',').AppendJoin(",", Enumerable.Range(0, s.Labels.Length).Select(j => s.PooledConfusion[i, j])).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(s.Folder, "confusion.csv"), conf.ToString());

        AtomicFile.WriteAllText(Path.Combine(s.Folder, "cv.md"), Markdown(s));
        var plots = Path.Combine(s.Folder, RunLayout.PlotsDir);
        Directory.CreateDirectory(plots);
        var side = Math.Max(420, 60 * s.Labels.Length + 160);
        Figure.Render("confusion_counts", "confusion-counts", "Pooled confusion matrix (counts)", Figures.ConfusionCounts(s.Labels, pooled.Confusion), side + 80, side).Save(plots);
        Figure.Render("confusion_normalized", "confusion-normalized", "Pooled confusion matrix (row-normalised)", Figures.ConfusionNormalized(s.Labels, pooled.ConfusionNormalized), side + 80, side).Save(plots);
    }

    /// <summary>The side-by-side table of several cvs of one config (`cv --protocol both`): the published number (the
    /// config's reference), this project under the seeds' protocol (stratified over clips), and speaker-independent.
    /// Written as protocols.md and protocols.json into <paramref name="dir"/>; returns the Markdown.</summary>
    public static string WriteProtocols(string dir, IReadOnlyList<Summary> summaries, ReferenceConfig? reference)
    {
        var sb = new StringBuilder("| result | protocol | accuracy (mean over folds, 95% CI) | macro F1 | pooled accuracy (95% CI) | folds |\n|---|---|---|---|---|---|\n");
        if (reference is { } r)
            sb.Append(CultureInfo.InvariantCulture, $"| published ({r.Source}) | {r.Protocol} | {(r.Accuracy is { } ra ? ra.ToString("F4", CultureInfo.InvariantCulture) : "—")} | — | — | — |\n");
        var rows = new JsonArray();
        foreach (var s in summaries)
        {
            var p = s.Pooled;
            sb.Append(CultureInfo.InvariantCulture,
                $"| this project | {s.ProtocolName} | {s.Accuracy} | {s.MacroF1} | {p.Accuracy:F4} ({p.AccuracyCi?.Lower:F4}–{p.AccuracyCi?.Upper:F4}) | {s.Folds.Count} ([{Path.GetFileName(s.Folder)}]({Path.GetFileName(s.Folder)}/cv.md)) |\n");
            rows.Add(new JsonObject
            {
                ["protocol"] = s.Protocol == Protocol.Speaker ? "speaker_kfold" : "stratified_kfold", ["folder"] = s.Folder,
                ["accuracy"] = s.Accuracy.ToJson(), ["macro_f1"] = s.MacroF1.ToJson(), ["pooled_accuracy"] = p.Accuracy,
            });
        }
        var json = new JsonObject { ["results"] = rows };
        if (reference is { } rf) json["reference"] = new JsonObject { ["accuracy"] = rf.Accuracy, ["protocol"] = rf.Protocol, ["source"] = rf.Source };
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "protocols.md"), sb.ToString());
        AtomicFile.WriteAllText(Path.Combine(dir, "protocols.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return sb.ToString();
    }

    /// <summary>The protocol table as Markdown: the published number (config's reference) beside this project's.</summary>
    public static string Markdown(Summary s)
    {
        var p = s.Pooled;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Cross-validation: {s.Folds.Count} folds, {s.ProtocolName}\n\n");
        sb.Append("| result | protocol | accuracy | macro F1 |\n|---|---|---|---|\n");
        if (s.Reference is { } r)
            sb.Append(CultureInfo.InvariantCulture, $"| published ({r.Source}) | {r.Protocol} | {(r.Accuracy is { } ra ? ra.ToString("F4", CultureInfo.InvariantCulture) : "—")} | — |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| this project, mean over folds | {s.ProtocolName} | {s.Accuracy} | {s.MacroF1} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| this project, pooled ({p.Count} items) | {s.ProtocolName} | {p.Accuracy:F4} (95% CI {p.AccuracyCi?.Lower:F4}–{p.AccuracyCi?.Upper:F4}) | {p.MacroF1:F4} |\n\n");
        sb.Append("| fold | accuracy | macro F1 | balanced accuracy |\n|---|---|---|---|\n");
        foreach (var f in s.Folds) sb.Append(CultureInfo.InvariantCulture, $"| {f.Fold} | {f.Accuracy:F4} | {f.MacroF1:F4} | {f.BalancedAccuracy:F4} |\n");
        sb.Append("\nPooled confusion matrix (rows: true, columns: predicted):\n\n| | ").AppendJoin(" | ", s.Labels).Append(" |\n|---|")
            .Append(string.Concat(Enumerable.Repeat("---|", s.Labels.Length))).Append('\n');
        for (var i = 0; i < s.Labels.Length; i++)
            sb.Append("| ").Append(s.Labels[i]).Append(" | ").AppendJoin(" | ", Enumerable.Range(0, s.Labels.Length).Select(j => s.PooledConfusion[i, j])).Append(" |\n");
        return sb.ToString();
    }
}
