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
    public static RunRecord NewRunRecord(ConfigLoader.Loaded loaded, int threads, ExperimentData data, string? trainer = null) =>
        RunEnvironment.Environment(loaded.Config.Seed, threads, data.ManifestHash, RunEnvironment.SourceDirectories(loaded.File)) with
        {
            Trainer = trainer,
            TrainItems = data.Train.Count,
            ValidationItems = data.Validation?.Count ?? 0,
            TestItems = data.Test.Count,
        };

    /// <summary>model.json: what inference needs to rebuild the model and its front end.</summary>
    public static ModelCard NewCard(ExperimentConfig config, ModelSpec spec, object modelOptions, ExperimentData data) => new()
    {
        Model = spec.Name, Options = ModelCard.ToJson(modelOptions), Classes = data.Labels.Classes.ToArray(),
        Features = config.Features, Inputs = spec.Inputs.ToString(), Corpus = config.Data.Corpus.ToString(), Seed = config.Seed,
        Scaler = data.Scaler, Pca = data.Pca,
    };
}
