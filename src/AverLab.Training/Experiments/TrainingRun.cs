using System.Text.Json.Nodes;
using AverLab.Data.Loading;
using AverLab.Data.Splits;
using AverLab.FrontEnds;
using AverLab.IO;
using AverLab.Models;
using AverLab.Models.Optim;
using AverLab.Runs;
using AverLab.Training.Callbacks;
using AverLab.Training.Configuration;
using AverLab.Training.Distributed;
using AverLab.Training.Loop;
using AverLab.Training.Metrics;
using AverLab.Training.Reports;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DataLoader = AverLab.Data.Loading.DataLoader;

namespace AverLab.Training.Experiments;

/// <summary>One neural run, stage by stage (<see cref="ExperimentRunner.Run"/> calls them in order): data, model, run
/// folder, run record and model card, training setup, then fit, test and report. Each stage leaves what the next
/// needs in a field. The order is part of the contract: the model is seeded right after the data exists, so initial
/// weights depend on the seed alone, and nothing is written before data and model are known to work.</summary>
internal sealed class TrainingRun(ConfigLoader.Loaded loaded, ModelSpec spec, RunOptions options, DataParallel? dp) : IDisposable
{
    private readonly ExperimentConfig config = loaded.Config;
    /// <summary>False on data-parallel ranks other than 0, which train but write and test nothing.</summary>
    private readonly bool root = dp?.IsRoot ?? true;
    /// <summary>Opened before any data is read, so a bad --resume folder fails at once.</summary>
    private readonly RunFolder? resumed = options.ResumeDir != null ? RunFolder.Open(options.ResumeDir) : null;
    private int Seed => unchecked((int)config.Seed);

    private ExperimentData data = null!;
    private object modelOptions = null!;
    private EmotionModel? model;
    private RunFolder folder = null!;
    private bool continuing;
    private RunRecord record = null!;
    private ModelCard card = null!;
    private DataLoader trainLoader = null!;
    private DataLoader? valLoader;
    private DataLoader testLoader = null!;
    private OptimizerHelper? optimizer;
    private List<Callback> callbacks = null!;
    private Trainer trainer = null!;

    private EmotionModel Model => model!;

    /// <summary>The corpus read, split and featurized. Rank 0 reads first (filling the feature cache), the others then
    /// read from the cache, and every rank checks that it split the corpus as rank 0 did.</summary>
    public void BuildData()
    {
        if (dp is { Size: > 1, IsRoot: false }) dp.Group.Barrier();
        data = loaded.At(() => ExperimentData.Load(config, Path.Combine(config.Output.Root, ".cache"), options.CacheProgress, options.Fold));
        if (dp is not { Size: > 1 }) return;
        if (dp.IsRoot) dp.Group.Barrier();
        var mine = SplitManifest.Hash(data.Split);
        var root0 = dp.BroadcastText(mine);
        if (root0 != mine)
            throw new InvalidOperationException($"{config.Data.Root}: rank {dp.Rank} splits the corpus differently from rank 0 (split hash {mine} vs {root0}); do all ranks see the same files?");
    }

    /// <summary>The model seeded, built and run forward once: options the model refuses fail here, before a run folder
    /// exists.</summary>
    public void BuildModel()
    {
        manual_seed(config.Seed);
        modelOptions = loaded.At(() => ExperimentRunner.BindModelOptions(spec, config, data.Labels.Count, data.FeatureShape, data.Extractor));
        model = ExperimentRunner.CreateModel(loaded, spec, modelOptions);
        ExperimentRunner.CheckForward(loaded, spec, Model, data.Test, data.Labels.Count);
    }

    /// <summary>The run folder (new, named, or resumed; rank 0 names it and the others use it), its data manifests,
    /// and the pretrained encoders of a new run.</summary>
    public void PrepareRunFolder()
    {
        var rootFolder = !root ? null : resumed
            ?? (options.RunDir != null ? RunFolder.OpenOrCreate(options.RunDir, loaded.ResolvedYaml())
            : RunFolder.Create(config.Output.Root, config.Name, loaded.ResolvedYaml()));
        if (dp is { Size: > 1 })
        {
            var path = dp.BroadcastText(rootFolder?.Path);
            rootFolder ??= RunFolder.Open(path);
        }
        folder = rootFolder!;
        continuing = resumed != null || (options.RunDir != null && File.Exists(folder.LastCheckpoint));
        // A kill -9 during an atomic write leaves its temp file; a continued run clears them before writing its own.
        if (continuing && root) folder.RemoveStaleTempFiles();
        if (root) RunRecords.WriteDataManifests(folder, data);
        if (!continuing) LoadPretrained(Model);
    }

    /// <summary>Threads set, then run.json (environment, split sizes, pipeline) and model.json (the card inference reads).</summary>
    public void WriteRunRecord()
    {
        // training.threads 0 = the model's measured policy (EmotionModel.PreferredThreads).
        var threads = config.Training.Threads > 0 ? config.Training.Threads
            : Model.PreferredThreads > 0 ? Model.PreferredThreads : Environment.ProcessorCount;
        set_num_threads(threads);
        record = ExperimentRunner.WithPipeline(RunRecords.NewRunRecord(loaded, threads, data), data);
        if (dp != null) record = record with { Distributed = new DistributedRecord { Backend = "mpi", Ranks = dp.Size, BucketMb = config.Training.BucketMb } };
        if (root) folder.WriteRunJson(record);
        card = RunRecords.NewCard(config, spec, modelOptions, data) with
        {
            Device = config.Training.ResolveDevice().type == DeviceType.CUDA ? "cuda" : "cpu",
        };
        if (root) card.Save(folder.ModelJson);
    }

    /// <summary>Loaders, device, optimizer, scheduler, callbacks and the trainer.</summary>
    public void BuildTrainingSetup()
    {
        var t = config.Training;
        trainLoader = new DataLoader(data.Train, new DataLoaderOptions
        {
            BatchSize = t.BatchSize, Seed = Seed, Shuffle = true, Augment = data.TrainAugment,
            Shard = dp is { Size: > 1 } ? (dp.Rank, dp.Size) : null,
        });
        valLoader = data.Validation is { } v ? new DataLoader(v, new DataLoaderOptions { BatchSize = t.BatchSize, Shuffle = false }, SplitRole.Validation) : null;
        testLoader = new DataLoader(data.Test, new DataLoaderOptions { BatchSize = t.BatchSize, Shuffle = false }, SplitRole.Test);
        // The model moves before the optimizer is built (TorchSharp's rule, as PyTorch's); batches are collated on the
        // CPU and moved per step inside the trainer's dispose scope.
        var device = t.ResolveDevice();
        if (device.type != DeviceType.CPU) Model.to(device);
        // An array: TorchSharp's optimizers keep what they are given and would walk the model again on every step.
        optimizer = ExperimentRunner.CreateOptimizer(t.Optimizer, Model.parameters().ToArray());
        var scheduler = ExperimentRunner.CreateScheduler(t, optimizer, trainLoader.BatchCount);
        callbacks = ExperimentRunner.CreateCallbacks(config, folder, valLoader != null);
        // Other ranks keep the callbacks that steer training (every rank sees the same metrics, so they decide alike)
        // and drop the ones that write files.
        if (!root) callbacks = callbacks.Where(c => c is not (ModelCheckpoint or HistoryLogger)).ToList();
        trainer = new Trainer(Model, b => Model.call(ModelInputMapping.ToInputs(spec, b).to(device)), optimizer, scheduler, callbacks, new TrainerOptions
        {
            Epochs = t.Epochs, GradClip = t.GradClip, LabelSmoothing = t.LabelSmoothing, CheckpointDir = folder.CheckpointDir,
            ClassWeights = t.ClassWeights == ClassWeighting.Balanced ? BalancedWeights() : null,
            SchedulerPerBatch = t.Scheduler.PerBatch || t.Scheduler.Name == SchedulerKind.OneCycle,
            ResumeFrom = (options.ResumeDir != null || options.RunDir != null) && File.Exists(folder.LastCheckpoint) ? folder.LastCheckpoint : null,
            StopAfterEpochs = options.StopAfterEpochs, DataParallel = dp, WritesState = root,
        }, root ? options.Progress : null);
    }

    /// <summary>Fit, then (rank 0, a finished run) test and report; a failure is recorded in the run folder's error.log.</summary>
    public RunResult FitTestAndReport()
    {
        try
        {
            var history = Fit();
            var finished = history.Count >= config.Training.Epochs || trainer.Context.StopRequested != null;
            if (!root || !finished) return new RunResult(folder, ClassificationMetrics.Compute([], [], card.Classes), history, finished, Root: root);
            var metrics = Test(history);
            Report(history, metrics);
            return new RunResult(folder, metrics, history, true);
        }
        catch (Exception e) when (root && e is not (OperationCanceledException or OutOfMemoryException))
        {
            throw RunFailedException.Record(folder, e);
        }
    }

    private IReadOnlyList<EpochRecord> Fit()
    {
        var history = trainer.Fit(trainLoader, valLoader);
        foreach (var cb in callbacks.OfType<IDisposable>()) cb.Dispose();
        return history;
    }

    /// <summary>The test split scored with the best weights (by the checkpoint's monitor) when there are any; metrics.json.</summary>
    private ClassificationMetrics Test(IReadOnlyList<EpochRecord> history)
    {
        if (File.Exists(folder.BestCheckpoint)) ModelFile.LoadInto(Model, folder.BestCheckpoint, folder.ModelJson);
        var test = trainer.Evaluate(testLoader);
        var metrics = ClassificationMetrics.Compute(test.Labels, test.Predictions, card.Classes, test.Probabilities, options.BootstrapSamples, Seed);
        folder.WriteMetrics(ExperimentRunner.MetricsRecord(metrics, test.Loss, history, trainer.Context.StopRequested) with
        {
            TestPerVideo = data.Test is UnrolledDataset frames ? ExperimentRunner.PerItem(frames, test, card.Classes, options.BootstrapSamples, Seed) : null,
        });
        return metrics;
    }

    /// <summary>The figures (plots/) and report.html.</summary>
    private void Report(IReadOnlyList<EpochRecord> history, ClassificationMetrics metrics)
    {
        var figures = RunFigures.Render(history, metrics);
        RunFigures.Save(figures, folder.PlotsDir);
        AtomicFile.WriteAllText(folder.ReportHtml, ReportWriter.Render($"{config.Name}: {spec.Name} on {config.Data.Corpus}",
            ExperimentRunner.Facts(config, spec, record, data, folder), history, metrics, figures: figures));
    }

    /// <summary>The fusion seed starts from trained face and audio ResNets (model.params face_checkpoint /
    /// audio_checkpoint: a .safetensors file or a run folder, whose best checkpoint is used). New runs only: a
    /// resumed run has them in its own checkpoint.</summary>
    private static void LoadPretrained(EmotionModel model)
    {
        if (model is not AvFusionLstm fusion) return;
        static string Resolve(string path) => Directory.Exists(path) ? RunFolder.At(path).BestCheckpoint : path;
        if (fusion.Options.FaceCheckpoint is { Length: > 0 } face) fusion.LoadFaceEncoder(Resolve(face));
        if (fusion.Options.AudioCheckpoint is { Length: > 0 } audio) fusion.LoadAudioEncoder(Resolve(audio));
    }

    /// <summary>sklearn's "balanced": n_samples / (n_classes * count_c).</summary>
    private float[] BalancedWeights()
    {
        var counts = new long[data.Labels.Count];
        for (var i = 0; i < data.Train.Count; i++) counts[data.Train.Get(i).Label]++;
        var n = counts.Sum();
        return counts.Select(c => c == 0 ? 0f : (float)(n / (double)(counts.Length * c))).ToArray();
    }

    /// <summary>The optimizer, then the model (the reverse of their creation).</summary>
    public void Dispose()
    {
        optimizer?.Dispose();
        model?.Dispose();
    }
}
