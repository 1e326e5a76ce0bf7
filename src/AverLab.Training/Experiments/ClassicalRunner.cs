using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.Data.Loading;
using AverLab.Data.Splits;
using AverLab.FrontEnds;
using AverLab.IO;
using AverLab.Models;
using AverLab.Models.Classical;
using AverLab.Training.Configuration;
using AverLab.Training.Metrics;
using AverLab.Training.Reports;

namespace AverLab.Training.Experiments;

/// <summary>A classical model's run (<see cref="ModelSpec.IsClassical"/>): the same data, split and feature pipeline
/// as any run (<see cref="ExperimentData"/>: standardization, PCA and SMOTE fitted on the training split), the model
/// fitted by ML.NET on the training split in one step, and the same run folder: config.yaml, run.json, split.json,
/// skipped.json, model.json (checkpoint checkpoints/model.zip, ML.NET's model zip written atomically), metrics.json
/// (test as for every run, plus the training and validation accuracy), plots/ and report.html. No history: there
/// are no epochs. Same config and seed → the same model and metrics.</summary>
public static class ClassicalRunner
{
    /// <summary>The checkpoint's path inside the run folder.</summary>
    public const string Checkpoint = "checkpoints/model.zip";

    public static RunResult Run(ConfigLoader.Loaded loaded, ModelSpec spec, RunOptions options)
    {
        var config = loaded.Config;
        if (options.ResumeDir != null)
            throw new InvalidOperationException($"{options.ResumeDir}: {spec.Name} is a classical model fitted in one step; there is nothing to resume (train it again)");
        var data = loaded.At(() => ExperimentData.Load(config, Path.Combine(config.Output.Root, ".cache"), options.CacheProgress, options.Fold));
        var modelOptions = (IClassicalOptions)loaded.At(() => ExperimentRunner.BindModelOptions(spec, config, data.Labels.Count, data.FeatureShape, data.Extractor));
        var seed = unchecked((int)config.Seed);
        var threads = config.Training.Threads > 0 ? config.Training.Threads : 1;
        var (rows, labels) = Rows(data.Train);
        var weights = config.Training.ClassWeights == ClassWeighting.Balanced ? BalancedWeights(labels, data.Labels.Count) : null;
        // Fitted before the run folder exists: options the trainer refuses (0 trees) leave no folder behind.
        ClassicalModel model;
        try
        {
            model = ClassicalModel.Train(spec, modelOptions, rows, labels, weights, seed, threads);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw loaded.Error(config.Model.Params != null ? "model.params" : "model.name", $"model {spec.Name} cannot be trained with these options: {e.Message}", e);
        }

        var folder = options.RunDir != null ? RunFolder.OpenOrCreate(options.RunDir, loaded.ResolvedYaml())
            : RunFolder.Create(config.Output.Root, config.Name, loaded.ResolvedYaml());
        folder.RemoveStaleTempFiles();
        SplitManifest.Write(folder.SplitJson, data.Split);
        folder.WriteJson(folder.SkippedJson, JsonSerializer.SerializeToNode(new
        {
            skipped = data.Skipped.Select(s => new { path = s.Path, reason = s.Reason }),
            dropped_labels = data.DroppedLabels,
        })!);
        var run = RunFolder.Environment(config.Seed, threads, data.ManifestHash, RunFolder.SourceDirectories(loaded.File));
        run["trainer"] = $"ML.NET {MlNetVersion}";
        run["train_items"] = data.Train.Count;
        run["validation_items"] = data.Validation?.Count ?? 0;
        run["test_items"] = data.Test.Count;
        ExperimentRunner.AddPipeline(run, data);
        folder.WriteRunJson(run);
        model.Save(Path.Combine(folder.Path, Checkpoint));
        var card = new ModelCard
        {
            Model = spec.Name, Options = ModelCard.ToJson(modelOptions), Classes = data.Labels.Classes.ToArray(),
            Features = config.Features, Inputs = spec.Inputs.ToString(), Corpus = config.Data.Corpus.ToString(), Seed = config.Seed,
            Scaler = data.Scaler, Pca = data.Pca, Checkpoint = Checkpoint,
        };
        card.Save(folder.ModelJson);

        var test = Evaluate(model, data.Test, card.Classes, options.BootstrapSamples, seed);
        var json = ExperimentRunner.MetricsJson(test.Metrics, test.Loss, [], null);
        json["train_accuracy"] = Math.Round(Evaluate(model, data.Train, card.Classes, 0, seed).Metrics.Accuracy, 12);
        if (data.Validation is { Count: > 0 } v)
        {
            var val = Evaluate(model, v, card.Classes, 0, seed);
            json["validation"] = new JsonObject { ["accuracy"] = Math.Round(val.Metrics.Accuracy, 12), ["macro_f1"] = Math.Round(val.Metrics.MacroF1, 12), ["loss"] = Math.Round(val.Loss, 12) };
        }
        folder.WriteJson(folder.MetricsJson, json);
        var figures = RunFigures.Render([], test.Metrics);
        RunFigures.Save(figures, folder.PlotsDir);
        var facts = ExperimentRunner.Facts(config, spec, run, data, folder);
        facts["trainer"] = $"{run["trainer"]}, {threads} thread(s), one step on the training split (no epochs); train accuracy {json["train_accuracy"]}";
        AtomicFile.WriteAllText(folder.ReportHtml, ReportWriter.Render($"{config.Name}: {spec.Name} on {config.Data.Corpus}", facts, [], test.Metrics, figures: figures));
        return new RunResult(folder, test.Metrics, [], true);
    }

    /// <summary>The package version (5.0.1), not the assembly's 1.0.0.0.</summary>
    private static string MlNetVersion =>
        (System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(Microsoft.ML.MLContext).Assembly)
            ?.InformationalVersion ?? "?").Split('+')[0];

    /// <summary>True labels and class probabilities of a finished classical run's model on <paramref name="set"/>.</summary>
    public static (int[] Labels, double[,] Probabilities) Predict(RunFolder folder, ModelCard card, IDataset set)
    {
        var options = (IClassicalOptions)card.Options.Deserialize(ModelRegistry.Get(card.Model).OptionsType, ModelCard.Json)!;
        var model = ClassicalModel.Load(Path.Combine(folder.Path, card.Checkpoint), card.Classes.Length, options.InputSize);
        var (rows, labels) = Rows(set);
        return (labels.ToArray(), model.PredictProbabilities(rows));
    }

    private static (ClassificationMetrics Metrics, double Loss) Evaluate(ClassicalModel model, IDataset set, string[] classes, int bootstrap, int seed)
    {
        var (rows, labels) = Rows(set);
        var p = model.PredictProbabilities(rows);
        var preds = new int[rows.Count];
        double loss = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            preds[i] = Enumerable.Range(0, classes.Length).MaxBy(c => p[i, c]);
            loss -= Math.Log(Math.Max(p[i, labels[i]], 1e-12));
        }
        return (ClassificationMetrics.Compute(labels, preds, classes, p, bootstrap, seed), rows.Count == 0 ? double.NaN : loss / rows.Count);
    }

    private static (List<float[]> Rows, List<int> Labels) Rows(IDataset set)
    {
        var rows = new List<float[]>(set.Count);
        var labels = new List<int>(set.Count);
        for (var i = 0; i < set.Count; i++)
        {
            var e = set.Get(i);
            rows.Add(e.Data);
            labels.Add((int)e.Label);
        }
        return (rows, labels);
    }

    /// <summary>sklearn's "balanced" weights, n / (classes x count of the row's class), as each row's weight.</summary>
    private static float[] BalancedWeights(List<int> labels, int classes)
    {
        var counts = new int[classes];
        foreach (var l in labels) counts[l]++;
        return labels.Select(l => (float)(labels.Count / (double)(classes * counts[l]))).ToArray();
    }
}
