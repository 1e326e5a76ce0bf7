using System.Globalization;
using System.Text.Json.Nodes;

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
            var runs = File.Exists(Path.Combine(path, "metrics.json"))
                ? [path]
                : Directory.EnumerateFiles(path, "metrics.json", SearchOption.AllDirectories).Select(Path.GetDirectoryName).OfType<string>().Order().ToList();
            foreach (var run in runs) rows.Add(Read(run));
        }
        return rows;
    }

    private static Row Read(string run)
    {
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!;
        var card = File.Exists(Path.Combine(run, "model.json")) ? JsonNode.Parse(File.ReadAllText(Path.Combine(run, "model.json"))) : null;
        string F(JsonNode? n) => n is null ? "n/a" : n.GetValue<double>().ToString("0.0000", CultureInfo.InvariantCulture);
        return new Row(run, card?["model"]?.GetValue<string>() ?? "?", metrics["epochs"]?.ToString() ?? "?",
            F(metrics["test"]?["accuracy"]), F(metrics["test"]?["macro_f1"]), F(metrics["test"]?["balanced_accuracy"]),
            card?["seed"]?.ToString() ?? "?");
    }
}
