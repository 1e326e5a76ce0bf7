using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.Data.Features;
using AverLab.Data.Loading;
using AverLab.Data.Splits;
using AverLab.FrontEnds;
using AverLab.Models;
using AverLab.Models.Optim;
using AverLab.IO;
using AverLab.Runs;
using TorchSharp;
using TorchSharp.Modules;
using AverLab.Training.Callbacks;
using AverLab.Training.Configuration;
using AverLab.Training.Distributed;
using AverLab.Training.Loop;
using AverLab.Training.Metrics;
using AverLab.Training.Reports;
using static TorchSharp.torch;

namespace AverLab.Training.Experiments;

/// <summary>Options of one run beyond its config.</summary>
public sealed record RunOptions
{
    /// <summary>Continue the run in this folder from its last.safetensors.</summary>
    public string? ResumeDir { get; init; }
    public IProgress<TrainProgress>? Progress { get; init; }
    public IProgress<FeatureCacheProgress>? CacheProgress { get; init; }
    /// <summary>Cross-validation fold to test on (overrides data.split.fold).</summary>
    public int? Fold { get; init; }
    /// <summary>Stop after this many epochs of this call without finishing the run (tests of resume).</summary>
    public int? StopAfterEpochs { get; init; }
    /// <summary>Use this folder for the run (created when new; continued from its last checkpoint when it has one).
    /// Sweeps name their trials' folders this way.</summary>
    public string? RunDir { get; init; }
    /// <summary>Bootstrap resamples for the confidence intervals in metrics.json.</summary>
    public int BootstrapSamples { get; init; } = 1000;
}

/// <param name="Root">False on data-parallel ranks other than 0, which train but write and test nothing.</param>
public sealed record RunResult(RunFolder Folder, ClassificationMetrics Test, IReadOnlyList<EpochRecord> History, bool Finished, bool Root = true);

/// <summary>Turns a config into a trained model and a complete run folder.</summary>
public static class ExperimentRunner
{
    /// <summary>Trains the config's model and writes its run folder, in stages (<see cref="TrainingRun"/>); a classical
    /// model goes to <see cref="ClassicalRunner"/>. With training.distributed: mpi every rank runs this, on rank 0's
    /// resolved config.</summary>
    public static RunResult Run(ConfigLoader.Loaded loaded, RunOptions? options = null)
    {
        options ??= new RunOptions();
        var dp = loaded.Config.Training.Distributed == DistributedKind.Mpi ? new DataParallel(MpiWorld.Get(), loaded.Config.Training.BucketMb) : null;
        if (dp is { Size: > 1 }) loaded = ShareConfig(dp, loaded);
        var spec = ModelRegistry.Get(loaded.Config.Model.Name);
        if (spec.IsClassical) return ClassicalRunner.Run(loaded, spec, options);
        using var run = new TrainingRun(loaded, spec, options, dp);
        run.BuildData();
        run.BuildModel();
        run.PrepareRunFolder();
        run.WriteRunRecord();
        run.BuildTrainingSetup();
        return run.FitTestAndReport();
    }

    /// <summary>Rank 0's resolved config text on every rank, parsed there as if read from the same file: the ranks
    /// cannot train different configs (a --set given to one rank only, a file edited between launches).</summary>
    private static ConfigLoader.Loaded ShareConfig(DataParallel dp, ConfigLoader.Loaded loaded)
    {
        var text = dp.BroadcastText(dp.IsRoot ? loaded.ResolvedYaml() : null);
        return dp.IsRoot ? loaded : ConfigLoader.FromText(text, loaded.File);
    }

    /// <summary>The model's options: model.params bound onto the spec's options type, with the sizes the data decides
    /// (classes always; MFCC rows and frames, input size, video frames and channels, the landmark width of
    /// features.landmarks unless the config sets them).</summary>
    public static object BindModelOptions(ModelSpec spec, ExperimentConfig config, int numClasses, long[] featureShape, IFeatureExtractor extractor)
    {
        var options = config.Model.Params is { } node
            ? ConfigBinder.Bind(spec.OptionsType, node, "", "model.params")
            : Activator.CreateInstance(spec.OptionsType)!;
        Set(options, "NumClasses", numClasses, force: true);
        var given = config.Model.Params is YamlDotNet.RepresentationModel.YamlMappingNode m
            ? m.Children.Keys.Select(k => k.ToString()).ToHashSet() : [];
        // Sizes the features decide, unless the config sets them.
        void Derive(string key, string property, long value)
        {
            if (!given.Contains(key)) Set(options, property, (int)value);
        }
        if (extractor is ClipMfccExtractor mfcc)
        {
            Derive("n_mfcc", "NMfcc", mfcc.Options.NMfcc);
            Derive("frames", "Frames", mfcc.Frames);
        }
        var shape = featureShape;
        Derive("input_size", "InputSize", shape.Aggregate(1L, (a, b) => a * b));
        if (config.Features.Landmarks)
        {
            // The landmark input's width per face or frame (136, or 272 with deltas for sequences).
            if (options.GetType().GetProperty("LandmarkCount") is null)
                throw new ConfigValueException("features.landmarks", $"model {spec.Name} takes no landmark input (face_resnet, lrcn, conv_lstm and av_fusion_lstm do)");
            Derive("landmark_count", "LandmarkCount", FaceCrops.LandmarkValues(config.Features));
        }
        if (extractor is VideoFramesExtractor && shape.Length == 4)
        {
            Derive("frames", "Frames", shape[0]);
            Derive("sequence_length", "SequenceLength", shape[0]); // ConvLstm's Dense layer depends on it
            Derive("channels", "Channels", shape[1]);
            Derive("frame_size", "FrameSize", shape[2]);
        }
        return options;
    }

    /// <summary>Builds the model; options it refuses (a head count that does not divide the embedding, a size of 0)
    /// are a config error at model.params.</summary>
    public static EmotionModel CreateModel(ConfigLoader.Loaded loaded, ModelSpec spec, object options)
    {
        try
        {
            return spec.Create(options);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ConfigException))
        {
            throw loaded.Error(ParamsKey(loaded), $"model {spec.Name} cannot be built with these options: {e.Message}", e);
        }
    }

    /// <summary>One forward pass, in eval mode without gradients, on a batch of up to two examples of
    /// <paramref name="examples"/>: a model whose options do not fit the features fails here, before training (and
    /// before a run folder exists), as a config error at model.params. Consumes no random numbers.</summary>
    public static long[] CheckForward(ConfigLoader.Loaded loaded, ModelSpec spec, EmotionModel model, IDataset examples, int numClasses)
    {
        var n = Math.Min(2, examples.Count);
        var batchExamples = Enumerable.Range(0, n).Select(examples.Get).ToList();
        using var scope = NewDisposeScope();
        using var batch = Collate.Pad(batchExamples, Enumerable.Range(0, n).ToArray());
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            var y = model.call(ModelInputMapping.ToInputs(spec, batch));
            if (y.dim() != 2 || y.shape[0] != n || y.shape[1] != numClasses)
                throw new InvalidDataException($"its output has shape [{string.Join(", ", y.shape)}], expected [{n}, {numClasses}]");
            return y.shape;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ConfigException))
        {
            throw loaded.Error(ParamsKey(loaded), $"model {spec.Name} cannot run on features {loaded.Config.Features.Kind.ToString().ToLowerInvariant()} [{string.Join(", ", batchExamples[0].Shape)}]: {e.Message}", e);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static string ParamsKey(ConfigLoader.Loaded loaded) => loaded.Config.Model.Params != null ? "model.params" : "model.name";

    private static void Set(object options, string property, int value, bool force = false)
    {
        var p = options.GetType().GetProperty(property);
        if (p != null && p.PropertyType == typeof(int) && p.CanWrite) p.SetValue(options, value);
        else if (force) throw new InvalidOperationException($"{options.GetType().Name} has no int {property}");
    }

    /// <summary>The report's note on alignment, landmarks and audio cleaning, empty when none is on.</summary>
    private static string FrontEndNotes(FeatureConfig f, ExperimentData data)
    {
        var notes = new List<string>();
        if (f.Align == "landmarks") notes.Add("faces aligned on 68 landmarks (similarity to the mean shape)");
        if (f.Landmarks) notes.Add($"landmark input {string.Join("x", data.ExtraShapes.Count > 0 ? data.ExtraShapes[^1] : [])}");
        if (f.Denoise != "none") notes.Add($"denoise {f.Denoise} (n_std {f.DenoiseNStd.ToString(CultureInfo.InvariantCulture)}, prop_decrease {f.DenoisePropDecrease.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(f.DenoiseNoiseClip) ? ", noise from the quietest frames" : ", noise clip " + f.DenoiseNoiseClip)})");
        if (f.TrimTopDb is { } top) notes.Add($"trimmed at {top.ToString(CultureInfo.InvariantCulture)} dB");
        return notes.Count == 0 ? "" : "; " + string.Join("; ", notes);
    }

    /// <summary>Rebuilds a run's data (same config, so the same split) and checks the split against the run's
    /// split.json; used by evaluate.</summary>
    public static ExperimentData ReloadData(RunFolder folder, ExperimentConfig config)
    {
        var data = ExperimentData.Load(config, Path.Combine(config.Output.Root, ".cache"));
        var saved = SplitManifest.Read(folder.SplitJson);
        if (SplitManifest.Hash(saved) != SplitManifest.Hash(data.Split))
            throw new InvalidOperationException($"{folder.SplitJson}: the corpus now splits differently from when this run trained (files added or removed?); evaluation would not be comparable");
        return data;
    }

    /// <summary>SGD, Adam and AdamW are AverLab.Models.Optim's (TorchSharp's classes with PyTorch's step done without
    /// unrooted Scalars and off MKL's slow sqrt path); RMSprop and Adagrad are TorchSharp's own.</summary>
    public static OptimizerHelper CreateOptimizer(OptimizerConfig o, IEnumerable<Parameter> parameters) => o.Name switch
    {
        OptimizerKind.Sgd => Optimizers.Sgd(parameters, o.Lr, o.Momentum, weightDecay: o.WeightDecay, nesterov: o.Nesterov),
        OptimizerKind.Adam => Optimizers.Adam(parameters, o.Lr, o.Betas[0], o.Betas[1], weightDecay: o.WeightDecay),
        OptimizerKind.AdamW => Optimizers.AdamW(parameters, o.Lr, o.Betas[0], o.Betas[1], weightDecay: o.WeightDecay),
        OptimizerKind.Rmsprop => optim.RMSProp(parameters, o.Lr, momentum: o.Momentum, weight_decay: o.WeightDecay),
        OptimizerKind.Adagrad => optim.Adagrad(parameters, o.Lr, weight_decay: o.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.Name, "unknown optimizer"),
    };

    public static optim.lr_scheduler.LRScheduler? CreateScheduler(TrainingConfig t, OptimizerHelper optimizer, int batchesPerEpoch)
    {
        var s = t.Scheduler;
        return s.Name switch
        {
            SchedulerKind.None => null,
            SchedulerKind.Step => optim.lr_scheduler.StepLR(optimizer, s.StepSize, s.Gamma),
            SchedulerKind.MultiStep => optim.lr_scheduler.MultiStepLR(optimizer, s.Milestones, s.Gamma),
            SchedulerKind.Exponential => optim.lr_scheduler.ExponentialLR(optimizer, s.Gamma),
            SchedulerKind.Cosine => optim.lr_scheduler.CosineAnnealingLR(optimizer, s.PerBatch ? t.Epochs * batchesPerEpoch : t.Epochs),
            SchedulerKind.OneCycle => optim.lr_scheduler.OneCycleLR(optimizer, s.MaxLr ?? t.Optimizer.Lr * 10, epochs: t.Epochs,
                steps_per_epoch: batchesPerEpoch),
            // PyTorch's LinearLR from lr/3 up to lr over warmup_epochs; 0 epochs is no warm-up (total_iters must be >= 1).
            SchedulerKind.Linear => optim.lr_scheduler.LinearLR(optimizer, start_factor: s.WarmupEpochs > 0 ? 1.0 / 3 : 1.0, total_iters: Math.Max(1, s.WarmupEpochs)),
            _ => throw new ArgumentOutOfRangeException(nameof(t), s.Name, "unknown scheduler"),
        };
    }

    /// <summary>The names `callbacks[].name` accepts.</summary>
    public static readonly string[] CallbackNames = ["model_checkpoint", "early_stopping", "reduce_lr_on_plateau"];

    public static List<Callback> CreateCallbacks(ExperimentConfig config, RunFolder folder, bool hasValidation)
    {
        var list = new List<Callback>();
        foreach (var c in config.Callbacks)
            list.Add(c.Name switch
            {
                "model_checkpoint" => new ModelCheckpoint(c.Monitor, c.Mode),
                "early_stopping" => new EarlyStopping(c.Monitor, c.Mode, c.Patience, c.MinDelta, c.RestoreBest),
                "reduce_lr_on_plateau" => new ReduceLrOnPlateau(c.Monitor, c.Mode, c.Factor, c.Patience, cooldown: c.Cooldown, minLr: c.MinLr),
                _ => throw new ConfigException(folder.ConfigYaml, 0, 0, "callbacks", $"unknown callback '{c.Name}'; known: {string.Join(", ", CallbackNames)}"),
            });
        if (!list.OfType<ModelCheckpoint>().Any())
            list.Insert(0, hasValidation ? new ModelCheckpoint("val_acc", MonitorMode.Max) : new ModelCheckpoint("train_loss", MonitorMode.Min));
        list.Add(new HistoryLogger(folder.Path));
        return list;
    }

    /// <summary>Metrics after averaging the frame probabilities of each video (the unit a researcher reports).</summary>
    public static TestMetrics PerItem(UnrolledDataset frames, Evaluation test, string[] classes, int bootstrap, int seed)
    {
        var k = classes.Length;
        var sums = new Dictionary<int, (double[] p, int n, int label)>();
        for (var i = 0; i < test.Indices.Length; i++)
        {
            var item = frames.ItemOf(test.Indices[i]);
            if (!sums.TryGetValue(item, out var acc)) acc = (new double[k], 0, test.Labels[i]);
            for (var c = 0; c < k; c++) acc.p[c] += test.Probabilities[i, c];
            sums[item] = (acc.p, acc.n + 1, acc.label);
        }
        var items = sums.OrderBy(x => x.Key).Select(x => x.Value).ToList();
        var probs = new double[items.Count, k];
        var preds = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            for (var c = 0; c < k; c++) probs[i, c] = items[i].p[c] / items[i].n;
            preds[i] = Enumerable.Range(0, k).MaxBy(c => probs[i, c]);
        }
        var m = ClassificationMetrics.Compute(items.Select(x => x.label).ToArray(), preds, classes, probs, bootstrap, seed);
        return TestMetrics(m, double.NaN);
    }

    /// <summary>run.json's record of the feature pipeline: PCA's component count and explained variance, SMOTE's
    /// per-class counts (training examples before, synthetic ones added).</summary>
    internal static RunRecord WithPipeline(RunRecord run, ExperimentData data) => run with
    {
        Pca = data.Pca is { } p ? new PcaRecord { Inputs = p.InputSize, Components = p.Count, ExplainedVariance = Math.Round(p.ExplainedVarianceRatio.Sum(), 6) } : null,
        Smote = data.SmoteCounts?.ToDictionary(kv => kv.Key, kv => new SmoteCount { Train = kv.Value.Before, Synthetic = kv.Value.Added }),
    };

    /// <summary>metrics.json's record: the test metrics and the training summary (best validation epoch, final loss,
    /// why training stopped early). Values that are not finite are null; the others rounded to 12 decimals.</summary>
    internal static MetricsRecord MetricsRecord(ClassificationMetrics m, double loss, IReadOnlyList<EpochRecord> history, string? stopReason)
    {
        var best = history.Where(h => double.IsFinite(h.ValAcc)).OrderByDescending(h => h.ValAcc).FirstOrDefault();
        return new MetricsRecord
        {
            Test = TestMetrics(m, loss),
            Epochs = history.Count,
            BestValAcc = best is null ? null : N(best.ValAcc),
            BestEpoch = best?.Epoch,
            FinalTrainLoss = history.Count > 0 ? N(history[^1].TrainLoss) : null,
            StoppedEarly = stopReason,
        };
    }

    internal static TestMetrics TestMetrics(ClassificationMetrics m, double loss) => new()
    {
        Accuracy = N(m.Accuracy), AccuracyCi95 = m.AccuracyCi is { } a ? [N(a.Lower), N(a.Upper)] : null,
        BalancedAccuracy = N(m.BalancedAccuracy), MacroF1 = N(m.MacroF1),
        MacroF1Ci95 = m.MacroF1Ci is { } f ? [N(f.Lower), N(f.Upper)] : null,
        WeightedF1 = N(m.WeightedF1), RocAucMacroOvr = N(m.RocAucMacro), Ece = N(m.ExpectedCalibrationError),
        Loss = N(loss), Count = m.Count,
        PerClass = Enumerable.Range(0, m.Labels.Length).ToDictionary(c => m.Labels[c],
            c => new ClassMetrics { Precision = N(m.Precision[c]), Recall = N(m.Recall[c]), F1 = N(m.F1[c]), Support = m.Support[c] }),
        Confusion = Enumerable.Range(0, m.Labels.Length).Select(i => Enumerable.Range(0, m.Labels.Length).Select(j => m.Confusion[i, j]).ToArray()).ToArray(),
        Labels = m.Labels.ToArray(),
    };

    private static double? N(double v) => double.IsFinite(v) ? Math.Round(v, 12) : null;

    internal static Dictionary<string, string> Facts(ExperimentConfig config, ModelSpec spec, RunRecord run, ExperimentData data, RunFolder folder)
    {
        var facts = BaseFacts(config, spec, run, data, folder);
        if (data.Pca is { } p)
            facts["PCA"] = string.Create(CultureInfo.InvariantCulture, $"fitted on the training split: {p.InputSize} → {p.Count} components, {p.ExplainedVarianceRatio.Sum():P1} of its variance");
        if (data.SmoteCounts is { } s)
            facts["SMOTE"] = $"training split only, k = {config.Features.Smote!.KNeighbors}: " + string.Join(", ", s.Select(kv => $"{kv.Key} {kv.Value.Before} + {kv.Value.Added}"));
        return facts;
    }

    private static Dictionary<string, string> BaseFacts(ExperimentConfig config, ModelSpec spec, RunRecord run, ExperimentData data, RunFolder folder) => new()
    {
        ["run folder"] = folder.Path,
        ["model"] = $"{spec.Name} — {spec.Description}",
        ["corpus"] = $"{config.Data.Corpus} ({config.Data.Root}), labels {config.Data.Labels}: {string.Join(", ", data.Labels.Classes)}",
        ["split"] = $"{data.Split.Protocol} (speaker independent: {data.Split.SpeakerIndependent}); train {data.Train.Count}, validation {data.Validation?.Count ?? 0}, test {data.Test.Count}",
        ["features"] = $"{config.Features.Kind} {string.Join("x", data.FeatureShape)}" + FrontEndNotes(config.Features, data),
        ["seed"] = config.Seed.ToString(CultureInfo.InvariantCulture),
        ["git commit"] = run.CommitLabel,
        ["libtorch / .NET"] = $"{run.LibTorch} / {run.DotNet}",
        ["threads"] = run.Threads.ToString(CultureInfo.InvariantCulture),
        ["skipped items"] = data.Skipped.Count.ToString(CultureInfo.InvariantCulture),
    };
}
