using System.Globalization;
using System.Text.Json.Nodes;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>Rows for `compare`: one per run folder that has a metrics.json.</summary>
public static class RunComparison
{
    public sealed record Row(string Run, string Model, string Epochs, string Accuracy, string MacroF1, string BalancedAccuracy, string Seed);

    public static List<Row> Collect(IEnumerable<string> paths)
    {
        var rows = new List<Row>();
        foreach (var path in paths)
        {
            if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"{path}: no such run or experiment folder");
            var runs = RunFolder.At(path).HasMetrics
                ? [path]
                : Directory.EnumerateFiles(path, RunLayout.MetricsJson, SearchOption.AllDirectories).Select(Path.GetDirectoryName).OfType<string>().Order().ToList();
            foreach (var run in runs) rows.Add(Read(run));
        }
        return rows;
    }

    private static Row Read(string run)
    {
        var folder = RunFolder.At(run);
        var metrics = folder.ReadMetrics()!;
        var card = File.Exists(folder.ModelJson) ? JsonNode.Parse(File.ReadAllText(folder.ModelJson)) : null;
        static string F(double? v) => v is not { } x ? "n/a" : x.ToString("0.0000", CultureInfo.InvariantCulture);
        return new Row(run, card?["model"]?.GetValue<string>() ?? "?", metrics.Epochs.ToString(CultureInfo.InvariantCulture),
            F(metrics.Test.Accuracy), F(metrics.Test.MacroF1), F(metrics.Test.BalancedAccuracy),
            card?["seed"]?.ToString() ?? "?");
    }
}
