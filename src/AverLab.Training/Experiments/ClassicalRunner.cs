using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.Data.Loading;
using AverLab.Data.Splits;
using AverLab.FrontEnds;
using AverLab.IO;
using AverLab.Runs;
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
    public const string Checkpoint = RunLayout.ClassicalCheckpoint;

    /// <summary>The classical run's stages: data, the model fitted (before any folder exists: options the trainer
    /// refuses, such as 0 trees, leave no folder behind), the run folder and its records, test, report.</summary>
    public static RunResult Run(ConfigLoader.Loaded loaded, ModelSpec spec, RunOptions options)
    {
        if (options.ResumeDir != null)
            throw new InvalidOperationException($"{options.ResumeDir}: {spec.Name} is a classical model fitted in one step; there is nothing to resume (train it again)");
        var run = new ClassicalRun(loaded, spec, options);
        run.BuildData();
        run.Fit();
        run.PrepareRunFolder();
        var metrics = run.Test();
        run.Report(metrics);
        return new RunResult(run.Folder, metrics.Test, [], true);
    }

    private sealed class ClassicalRun(ConfigLoader.Loaded loaded, ModelSpec spec, RunOptions options)
    {
        private readonly ExperimentConfig config = loaded.Config;
        private int Seed => unchecked((int)config.Seed);
        private int Threads => config.Training.Threads > 0 ? config.Training.Threads : 1;
        private ExperimentData data = null!;
        private IClassicalOptions modelOptions = null!;
        private ClassicalModel model = null!;
        private RunRecord record = null!;
        private ModelCard card = null!;
        public RunFolder Folder { get; private set; } = null!;

        public void BuildData()
        {
            data = loaded.At(() => ExperimentData.Load(config, Path.Combine(config.Output.Root, ".cache"), options.CacheProgress, options.Fold));
            modelOptions = (IClassicalOptions)loaded.At(() => ExperimentRunner.BindModelOptions(spec, config, data.Labels.Count, data.FeatureShape, data.Extractor));
        }

        /// <summary>ML.NET fits the model on the training split; options it refuses are a config error at model.params.</summary>
        public void Fit()
        {
            var (rows, labels) = Rows(data.Train);
            var weights = config.Training.ClassWeights == ClassWeighting.Balanced ? BalancedWeights(labels, data.Labels.Count) : null;
            try
            {
                model = ClassicalModel.Train(spec, modelOptions, rows, labels, weights, Seed, Threads);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw loaded.Error(config.Model.Params != null ? "model.params" : "model.name", $"model {spec.Name} cannot be trained with these options: {e.Message}", e);
            }
        }

        /// <summary>The folder, its data manifests, run.json, the model zip and model.json.</summary>
        public void PrepareRunFolder()
        {
            Folder = options.RunDir != null ? RunFolder.OpenOrCreate(options.RunDir, loaded.ResolvedYaml())
                : RunFolder.Create(config.Output.Root, config.Name, loaded.ResolvedYaml());
            Folder.RemoveStaleTempFiles();
            RunRecords.WriteDataManifests(Folder, data);
            record = ExperimentRunner.WithPipeline(RunRecords.NewRunRecord(loaded, Threads, data, trainer: $"ML.NET {MlNetVersion}"), data);
            Folder.WriteRunJson(record);
            model.Save(Path.Combine(Folder.Path, Checkpoint));
            card = RunRecords.NewCard(config, spec, modelOptions, data) with { Checkpoint = Checkpoint };
            card.Save(Folder.ModelJson);
        }

        /// <summary>metrics.json: the test split as for every run, plus the training and validation accuracy.</summary>
        public (ClassificationMetrics Test, MetricsRecord Record) Test()
        {
            var test = Evaluate(model, data.Test, card.Classes, options.BootstrapSamples, Seed);
            var trainAccuracy = Math.Round(Evaluate(model, data.Train, card.Classes, 0, Seed).Metrics.Accuracy, 12);
            var val = data.Validation is { Count: > 0 } v ? Evaluate(model, v, card.Classes, 0, Seed) : default((ClassificationMetrics Metrics, double Loss)?);
            var metrics = ExperimentRunner.MetricsRecord(test.Metrics, test.Loss, [], null) with
            {
                TrainAccuracy = trainAccuracy,
                Validation = val is { } x ? new ValidationMetrics { Accuracy = Math.Round(x.Metrics.Accuracy, 12), MacroF1 = Math.Round(x.Metrics.MacroF1, 12), Loss = Math.Round(x.Loss, 12) } : null,
            };
            Folder.WriteMetrics(metrics);
            return (test.Metrics, metrics);
        }

        /// <summary>The figures (plots/) and report.html.</summary>
        public void Report((ClassificationMetrics Test, MetricsRecord Record) metrics)
        {
            var figures = RunFigures.Render([], metrics.Test);
            RunFigures.Save(figures, Folder.PlotsDir);
            var facts = ExperimentRunner.Facts(config, spec, record, data, Folder);
            facts["trainer"] = $"{record.Trainer}, {Threads} thread(s), one step on the training split (no epochs); train accuracy {JsonValue.Create(metrics.Record.TrainAccuracy)}";
            AtomicFile.WriteAllText(Folder.ReportHtml, ReportWriter.Render($"{config.Name}: {spec.Name} on {config.Data.Corpus}", facts, [], metrics.Test, figures: figures));
        }
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
