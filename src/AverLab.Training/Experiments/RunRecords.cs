using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.Data.Splits;
using AverLab.FrontEnds;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>The records every run writes the same way, neural or classical: the data manifests, run.json's common part
/// and the model card.</summary>
internal static class RunRecords
{
    /// <summary>split.json (the split manifest) and skipped.json (items the reader skipped, labels dropped).</summary>
    public static void WriteDataManifests(RunFolder folder, ExperimentData data)
    {
        SplitManifest.Write(folder.SplitJson, data.Split);
        folder.WriteJson(folder.SkippedJson, JsonSerializer.SerializeToNode(new
        {
            skipped = data.Skipped.Select(s => new { path = s.Path, reason = s.Reason }),
            dropped_labels = data.DroppedLabels,
        })!);
    }

    /// <summary>run.json's environment (seed, commit, versions, threads, data hash), the trainer when it is not the
    /// neural one, and the split sizes.</summary>
    public static JsonObject NewRunRecord(ConfigLoader.Loaded loaded, int threads, ExperimentData data, string? trainer = null)
    {
        var run = RunEnvironment.Environment(loaded.Config.Seed, threads, data.ManifestHash, RunEnvironment.SourceDirectories(loaded.File));
        if (trainer != null) run["trainer"] = trainer;
        run["train_items"] = data.Train.Count;
        run["validation_items"] = data.Validation?.Count ?? 0;
        run["test_items"] = data.Test.Count;
        return run;
    }

    /// <summary>model.json: what inference needs to rebuild the model and its front end.</summary>
    public static ModelCard NewCard(ExperimentConfig config, ModelSpec spec, object modelOptions, ExperimentData data) => new()
    {
        Model = spec.Name, Options = ModelCard.ToJson(modelOptions), Classes = data.Labels.Classes.ToArray(),
        Features = config.Features, Inputs = spec.Inputs.ToString(), Corpus = config.Data.Corpus.ToString(), Seed = config.Seed,
        Scaler = data.Scaler, Pca = data.Pca,
    };
}
