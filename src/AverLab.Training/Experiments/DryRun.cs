using System.Globalization;
using System.Text;
using AverLab.Models;
using AverLab.Training.Configuration;
using static TorchSharp.torch;

namespace AverLab.Training.Experiments;

/// <summary>What --dry-run found: the corpus split (counts per side and class), the features of one item, the model
/// built from model.params and its output on one batch, and the run folder's place.</summary>
public sealed record DryRunReport(CorpusPlan Corpus, string FeatureItem, long[] FeatureShape, IReadOnlyList<Data.Corpora.SkippedItem> FeatureFailures,
    string Model, long Parameters, long[] OutputShape, string RunParent)
{
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Corpus.Describe());
        foreach (var f in FeatureFailures) sb.AppendLine($"features failed: {f}");
        sb.AppendLine($"features: [{string.Join(", ", FeatureShape)}] per example (from {FeatureItem})");
        sb.AppendLine(OutputShape.Length == 0 ? $"model: {Model}"
            : string.Create(CultureInfo.InvariantCulture, $"model: {Model}, {Parameters:N0} parameters; one batch in, output [{string.Join(", ", OutputShape)}]"));
        sb.Append($"run folder: under {RunParent} (writable)");
        return sb.ToString();
    }
}

/// <summary>--dry-run: everything that can be checked without training, in the order the run meets it, and nothing
/// written (no run folder, no feature cache): the config (already bound), the corpus read and split, the features of
/// one item, the model built from model.params with one forward pass, and the output folder writable. Every
/// rejection is the one the real run would give, from the same code.</summary>
public static class DryRun
{
    public static DryRunReport Check(ConfigLoader.Loaded loaded, int? fold = null)
    {
        var config = loaded.Config;
        var spec = ModelRegistry.Get(config.Model.Name);
        var plan = loaded.At(() => ExperimentData.ReadAndSplit(config, fold));
        var probe = loaded.At(() => ExperimentData.Probe(config, plan));
        try
        {
            if (spec.IsClassical)
            {
                // Fitted by ML.NET in one step: the options bind (ClassicalRules already checked the rest); nothing to run forward.
                loaded.At(() => ExperimentRunner.BindModelOptions(spec, config, plan.Labels.Count, probe.Shape, probe.Extractor));
                var dir = loaded.At(() => CheckWritable(Path.Combine(config.Output.Root, config.Name)));
                return new DryRunReport(plan, probe.Item, probe.Shape, probe.Failed, $"{spec.Name} (classical, ML.NET; fitted in one step)", 0, [], dir);
            }
            var options = loaded.At(() => ExperimentRunner.BindModelOptions(spec, config, plan.Labels.Count, probe.Shape, probe.Extractor));
            using var model = ExperimentRunner.CreateModel(loaded, spec, options);
            var output = ExperimentRunner.CheckForward(loaded, spec, model, probe.Examples, plan.Labels.Count);
            var parameters = model.parameters().Sum(p => p.numel());
            var parent = loaded.At(() => CheckWritable(Path.Combine(config.Output.Root, config.Name)));
            return new DryRunReport(plan, probe.Item, probe.Shape, probe.Failed, spec.Name, parameters, output, parent);
        }
        finally
        {
            if (probe.Extractor is IDisposable d) d.Dispose();
        }
    }

    /// <summary>The folder the run folder would go into must be creatable: its nearest existing ancestor is a folder
    /// that accepts a file (a probe file opened with delete-on-close, so nothing stays).</summary>
    public static string CheckWritable(string runParent)
    {
        var full = Path.GetFullPath(runParent);
        var existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw new ConfigValueException("output.root", $"'{existing}' is a file, so the run folder {full} cannot be created");
            existing = Path.GetDirectoryName(existing) ?? throw new ConfigValueException("output.root", $"no existing folder above {full}");
        }
        try
        {
            using var probe = new FileStream(Path.Combine(existing, $".averlab-dry-run.{Environment.ProcessId}.{Guid.NewGuid():N}.probe"),
                FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigValueException("output.root", $"'{existing}' is not writable, so the run folder {full} cannot be created: {e.Message}", e);
        }
        return full;
    }
}
