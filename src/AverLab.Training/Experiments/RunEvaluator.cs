using AverLab.Data.Loading;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Training.Loop;
using AverLab.Training.Metrics;
using AverLab.FrontEnds;

namespace AverLab.Training.Experiments;

/// <summary>Evaluates a finished run's checkpoint on its test split again (the `evaluate` command).</summary>
public static class RunEvaluator
{
    public static ClassificationMetrics Evaluate(string runDir, string which = "best")
    {
        var folder = RunFolder.Open(runDir);
        var loaded = ConfigLoader.Load(folder.ConfigYaml);
        var card = ModelCard.Load(folder.ModelJson);
        if (ModelRegistry.Get(card.Model).IsClassical)
        {
            // One model zip: a classical run has no best/last pair.
            if (which != "best") throw new ArgumentException($"--checkpoint: {card.Model} is a classical run with one model ({card.Checkpoint}); leave it at best");
            return ClassicalRunner.Evaluate(folder, card, ExperimentRunner.ReloadData(folder, loaded.Config), unchecked((int)loaded.Config.Seed));
        }
        var checkpoint = which switch
        {
            "best" => folder.BestCheckpoint,
            "last" => folder.LastCheckpoint,
            _ => throw new ArgumentException($"--checkpoint must be best or last, got '{which}'"),
        };
        var data = ExperimentRunner.ReloadData(folder, loaded.Config);
        using var model = card.CreateModel();
        ModelFile.LoadInto(model, checkpoint); // best: a state dict; last: the "model." entries of the training checkpoint
        var spec = ModelRegistry.Get(card.Model);
        var loader = new DataLoader(data.Test, new DataLoaderOptions { BatchSize = loaded.Config.Training.BatchSize, Shuffle = false }, SplitRole.Test);
        var ev = Evaluation.Predict(model, b => model.call(ModelInputMapping.ToInputs(spec, b)), loader);
        return ClassificationMetrics.Compute(ev.Labels, ev.Predictions, card.Classes, ev.Probabilities, 1000, unchecked((int)loaded.Config.Seed));
    }
}
