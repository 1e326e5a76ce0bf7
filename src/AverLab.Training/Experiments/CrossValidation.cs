using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AverLab.IO;
using AverLab.Training.Configuration;

namespace AverLab.Training.Experiments;

/// <summary>k-fold cross-validation by speaker: one normal run per fold (each actor tested exactly once), then
/// mean ± sample standard deviation of the test metrics, written to cv.json and cv.csv.</summary>
public static class CrossValidation
{
    public sealed record Summary(string Folder, IReadOnlyList<(int fold, string run, double accuracy, double macroF1, double balanced)> Folds)
    {
        public (double mean, double std) Accuracy => Stats(Folds.Select(f => f.accuracy));
        public (double mean, double std) MacroF1 => Stats(Folds.Select(f => f.macroF1));
        public (double mean, double std) BalancedAccuracy => Stats(Folds.Select(f => f.balanced));

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Folds.Count}-fold CV: accuracy {Accuracy.mean:F4} ± {Accuracy.std:F4}, macro F1 {MacroF1.mean:F4} ± {MacroF1.std:F4}, balanced accuracy {BalancedAccuracy.mean:F4} ± {BalancedAccuracy.std:F4} ({Folder})");
    }

    public static (double mean, double std) Stats(IEnumerable<double> values)
    {
        var v = values.ToArray();
        var mean = v.Average();
        var std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return (mean, std);
    }

    public static Summary Run(ConfigLoader.Loaded loaded, Action<string>? log = null) => Run(loaded, new CrossValidationOptions { Log = log });

    public static Summary Run(ConfigLoader.Loaded loaded, CrossValidationOptions options)
    {
        var log = options.Log;
        var config = loaded.Config;
        var k = config.Data.Split.Folds;
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var cvDir = options.ResumeDir ?? Path.Combine(config.Output.Root, config.Name, $"cv-{stamp}");
        Directory.CreateDirectory(cvDir);
        var folds = FoldDispatch.Run(loaded, cvDir, options);
        if (folds == null) return new Summary(cvDir, []); // --emit-only
        var summary = new Summary(cvDir, folds);
        var json = new JsonObject
        {
            ["folds"] = new JsonArray(folds.Select(x => (JsonNode)new JsonObject
            {
                ["fold"] = x.Item1, ["run"] = x.Item2, ["accuracy"] = x.Item3, ["macro_f1"] = x.Item4, ["balanced_accuracy"] = x.Item5,
            }).ToArray()),
            ["accuracy"] = new JsonObject { ["mean"] = summary.Accuracy.mean, ["std"] = summary.Accuracy.std },
            ["macro_f1"] = new JsonObject { ["mean"] = summary.MacroF1.mean, ["std"] = summary.MacroF1.std },
            ["balanced_accuracy"] = new JsonObject { ["mean"] = summary.BalancedAccuracy.mean, ["std"] = summary.BalancedAccuracy.std },
        };
        AtomicFile.WriteAllText(Path.Combine(cvDir, "cv.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var csv = new StringBuilder("fold,accuracy,macro_f1,balanced_accuracy,run\n");
        foreach (var x in folds) csv.Append(CultureInfo.InvariantCulture, $"{x.Item1},{x.Item3:R},{x.Item4:R},{x.Item5:R},{x.Item2}\n");
        AtomicFile.WriteAllText(Path.Combine(cvDir, "cv.csv"), csv.ToString());
        return summary;
    }
}
