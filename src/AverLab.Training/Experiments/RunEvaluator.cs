using AverLab.Data.Loading;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Training.Loop;
using AverLab.Training.Metrics;

namespace AverLab.Training.Experiments;

/// <summary>Evaluates a finished run's checkpoint on its test split again (the `evaluate` command).</summary>
public static class RunEvaluator
{
    public static ClassificationMetrics Evaluate(string runDir, string which = "best")
    {
        var folder = RunFolder.Open(runDir);
        var loaded = ConfigLoader.Load(folder.ConfigYaml);
        var card = ModelCard.Load(folder.ModelJson);
        var checkpoint = which switch
        {
            "best" => folder.BestCheckpoint,
            "last" => folder.LastCheckpoint,
            _ => throw new ArgumentException($"--checkpoint must be best or last, got '{which}'"),
        };
        var data = ExperimentRunner.ReloadData(folder, loaded.Config);
        using var model = card.CreateModel();
        if (which == "last")
        {
            var (tensors, _) = Torch.Serialization.SafeTensors.LoadWithMetadata(checkpoint);
            const string prefix = Torch.Optim.TrainingCheckpoint.ModelPrefix;
            var weights = tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
            model.load_state_dict(weights);
            foreach (var t in tensors.Values) t.Dispose();
        }
        else StateDictFile.Load(model, checkpoint, folder.ModelJson);
        var spec = ModelRegistry.Get(card.Model);
        var loader = new DataLoader(data.Test, new DataLoaderOptions { BatchSize = loaded.Config.Training.BatchSize, Shuffle = false }, SplitRole.Test);
        var ev = Evaluation.Predict(model, b => model.call(ExperimentRunner.ToInputs(spec, b)), loader);
        return ClassificationMetrics.Compute(ev.Labels, ev.Predictions, card.Classes, ev.Probabilities, 1000, unchecked((int)loaded.Config.Seed));
    }
}
