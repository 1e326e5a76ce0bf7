using AverLab.Data.Loading;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Training.Loop;
using AverLab.Training.Metrics;
using AverLab.FrontEnds;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>Evaluates a finished run's checkpoint on its test split again (the `evaluate` command).</summary>
public static class RunEvaluator
{
    public static ClassificationMetrics Evaluate(string runDir, string which = "best")
    {
        var folder = RunFolder.Open(runDir);
        var loaded = ConfigLoader.Load(folder.ConfigYaml);
        var card = ModelCard.Load(folder.ModelJson);
        CheckpointOf(folder, card, which); // a bad --checkpoint fails before the data is read
        var data = ExperimentRunner.ReloadData(folder, loaded.Config);
        return Score(folder, card, which, data.Test, loaded.Config.Training.BatchSize, unchecked((int)loaded.Config.Seed));
    }

    /// <summary>The run's model (TorchSharp checkpoint or classical zip) on <paramref name="set"/>, whose examples are
    /// already laid out as the model reads them: metrics with 1000-sample bootstrap intervals.</summary>
    internal static ClassificationMetrics Score(RunFolder folder, ModelCard card, string which, IDataset set, int batchSize, int seed)
    {
        var (labels, probabilities) = Predict(folder, card, which, set, batchSize);
        return Metrics(labels, probabilities, card.Classes, seed);
    }

    /// <summary>True labels and class probabilities of the run's model on <paramref name="set"/>.</summary>
    internal static (int[] Labels, double[,] Probabilities) Predict(RunFolder folder, ModelCard card, string which, IDataset set, int batchSize)
    {
        var checkpoint = CheckpointOf(folder, card, which);
        var spec = ModelRegistry.Get(card.Model);
        if (spec.IsClassical) return ClassicalRunner.Predict(folder, card, set);
        using var model = card.CreateModel();
        ModelFile.LoadInto(model, checkpoint); // best: a state dict; last: the "model." entries of the training checkpoint
        var loader = new DataLoader(set, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false }, SplitRole.Test);
        var ev = Evaluation.Predict(model, b => model.call(ModelInputMapping.ToInputs(spec, b)), loader);
        return (ev.Labels, ev.Probabilities);
    }

    /// <summary>Metrics of predictions taken as each row's most probable class (the first on a tie, as argmax).</summary>
    internal static ClassificationMetrics Metrics(int[] labels, double[,] probabilities, string[] classes, int seed)
    {
        var predictions = new int[labels.Length];
        for (var i = 0; i < labels.Length; i++)
            for (var c = 1; c < classes.Length; c++)
                if (probabilities[i, c] > probabilities[i, predictions[i]]) predictions[i] = c;
        return ClassificationMetrics.Compute(labels, predictions, classes, probabilities, 1000, seed);
    }

    /// <summary>Whether the folder is a model package (package.json beside the card) rather than a run.</summary>
    public static bool IsPackage(RunFolder folder) => folder.IsPackage;

    /// <summary>best or last; a classical run has one model zip (its card's checkpoint) and takes best only.</summary>
    internal static string CheckpointOf(RunFolder folder, ModelCard card, string which)
    {
        if (ModelRegistry.Get(card.Model).IsClassical)
            return which == "best" ? Path.Combine(folder.Path, card.Checkpoint)
                : throw new ArgumentException($"--checkpoint: {card.Model} is a classical run with one model ({card.Checkpoint}); leave it at best");
        // A model package (averlab-train package) holds one set of weights, named by its card.
        if (IsPackage(folder))
            return which == "best" ? Path.Combine(folder.Path, card.Checkpoint)
                : throw new ArgumentException($"--checkpoint: {folder.Path} is a model package with one set of weights ({card.Checkpoint}); leave it at best");
        return which switch
        {
            "best" => folder.BestCheckpoint,
            "last" => folder.LastCheckpoint,
            _ => throw new ArgumentException($"--checkpoint must be best or last, got '{which}'"),
        };
    }
}
