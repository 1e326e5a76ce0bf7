using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.Data.Loading;
using AverLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using DataLoader = AverLab.Data.Loading.DataLoader;
using AverLab.Training.Callbacks;
using AverLab.Training.Reports;
using static TorchSharp.torch;
using AverLab.Runs;

namespace AverLab.Training.Loop;

/// <summary>The training loop: epochs of (forward, cross-entropy, backward, clip, step) over a loader, validation,
/// callbacks, and a complete resume checkpoint (model, optimizer, scheduler, random generator, history, callback
/// counters) after every epoch, so a killed run resumed with the same config ends with identical metrics.</summary>
public sealed class Trainer
{
    public const string LastCheckpoint = RunLayout.LastCheckpointName;
    /// <summary>Written next to the checkpoints when <see cref="TrainerOptions.HaltAt"/> is reached.</summary>
    public const string HaltMarker = "halted-for-test";

    private readonly nn.Module model;
    private readonly Func<Batch, Tensor> forward;
    private readonly IReadOnlyList<Callback> callbacks;
    private readonly TrainerOptions options;
    private readonly IProgress<TrainProgress>? progress;

    /// <param name="forward">Logits (B x classes) for a batch; the model's call with the batch mapped to its inputs.</param>
    public Trainer(nn.Module model, Func<Batch, Tensor> forward, OptimizerHelper optimizer, optim.lr_scheduler.LRScheduler? scheduler,
        IReadOnlyList<Callback> callbacks, TrainerOptions options, IProgress<TrainProgress>? progress = null)
    {
        this.model = model;
        this.forward = forward;
        this.callbacks = callbacks;
        this.options = options;
        this.progress = progress;
        Context = new TrainerContext
        {
            Model = model, Optimizer = optimizer, Scheduler = scheduler, CheckpointDir = options.CheckpointDir, Epochs = options.Epochs,
        };
    }

    public TrainerContext Context { get; }

    public string LastCheckpointPath => Path.Combine(options.CheckpointDir, LastCheckpoint);

    /// <summary>Trains to the configured number of epochs (or an early stop) and returns the history.</summary>
    public IReadOnlyList<EpochRecord> Fit(DataLoader train, DataLoader? validation)
    {
        Directory.CreateDirectory(options.CheckpointDir);
        File.Delete(Path.Combine(options.CheckpointDir, HaltMarker)); // left by a test that killed the run
        var start = 0;
        if (options.ResumeFrom != null) start = Resume(options.ResumeFrom);
        options.DataParallel?.BroadcastState(model); // every rank starts from rank 0's weights
        foreach (var cb in callbacks) cb.OnTrainStart(Context);
        using var weights = options.ClassWeights is { } w ? tensor(w, device: model.parameters().First().device) : null;
        var ranThisCall = 0;
        for (var epoch = start + 1; epoch <= options.Epochs; epoch++)
        {
            Context.Epoch = epoch;
            foreach (var cb in callbacks) cb.OnEpochStart(Context);
            var clock = Stopwatch.StartNew();
            var lr = Context.CurrentLr;
            var (trainLoss, trainAcc) = TrainEpoch(train, weights, epoch, clock);
            options.DataParallel?.AverageBuffers(model); // batch-norm statistics: the mean over the ranks' shards
            var (valLoss, valAcc) = (double.NaN, double.NaN);
            if (validation != null)
            {
                var ev = Evaluate(validation, epoch);
                (valLoss, valAcc) = (ev.Loss, ev.Accuracy);
            }
            if (Context.Scheduler != null && !options.SchedulerPerBatch) StepScheduler();
            var record = new EpochRecord
            {
                Epoch = epoch, TrainLoss = trainLoss, TrainAcc = trainAcc, ValLoss = valLoss, ValAcc = valAcc, Lr = lr,
                Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            };
            Context.History.Add(record);
            foreach (var cb in callbacks) cb.OnEpochEnd(Context, record);
            if (options.WritesState) SaveResumeState(epoch);
            if (Context.StopRequested != null) break;
            if (options.StopAfterEpochs is { } stopAfter && ++ranThisCall >= stopAfter) return Context.History;
        }
        foreach (var cb in callbacks) cb.OnTrainEnd(Context);
        return Context.History;
    }

    private void StepScheduler()
    {
        Context.Scheduler?.step();
        schedulerSteps++;
    }

    private long schedulerSteps;

    private (double loss, double acc) TrainEpoch(DataLoader train, Tensor? weights, int epoch, Stopwatch clock)
    {
        model.train();
        train.Epoch = epoch - 1; // the loader's order is a function of (seed, epoch): resumed epochs replay exactly
        double lossSum = 0;
        long correct = 0, seen = 0;
        var b = 0;
        var batches = train.BatchCount;
        var dp = options.DataParallel;
        var parameters = dp != null ? model.parameters().ToArray() : null;
        foreach (var batch in train)
        {
            using (batch)
            using (NewDisposeScope())
            {
                b++;
                var logits = forward(batch);
                var labels = batch.Labels.to(logits.device);
                var loss = nn.functional.cross_entropy(logits, labels, weights, label_smoothing: options.LabelSmoothing);
                var value = loss.ToDouble();
                if (!double.IsFinite(value))
                    throw new NonFiniteLossException(epoch, b, value, File.Exists(LastCheckpointPath) ? LastCheckpointPath : null);
                model.zero_grad(); // set_to_none, as PyTorch; TorchSharp's optimizer zero_grad() fills zeros (bench/RESULTS.md)
                if (dp != null)
                {
                    // This rank's share of the global batch's mean loss; the all-reduce sums the shares' gradients.
                    (batch.Size == batch.GlobalSize ? loss : loss * (batch.Size / (double)batch.GlobalSize)).backward();
                    dp.AllreduceGradients(parameters!);
                }
                else loss.backward();
                if (options.GradClip is { } clip) nn.utils.clip_grad_norm_(model.parameters(), clip);
                Context.Optimizer.step();
                if (options.SchedulerPerBatch && Context.Scheduler != null) StepScheduler();
                lossSum += value * batch.Size;
                correct += logits.argmax(1).eq(labels).sum().ToInt64();
                seen += batch.Size;
                foreach (var cb in callbacks) cb.OnBatchEnd(Context, b, value);
                if (options.HaltAt is { } halt && halt == (epoch, b)) HaltUntilKilled();
                progress?.Report(new TrainProgress("train", epoch, options.Epochs, b, batches, lossSum / seen,
                    (double)correct / seen, Context.CurrentLr, clock.Elapsed));
            }
        }
        if (dp != null)
        {
            Span<double> totals = [lossSum, correct, seen];
            dp.Sum(totals);
            (lossSum, correct, seen) = (totals[0], (long)totals[1], (long)totals[2]);
        }
        return seen == 0 ? (double.NaN, double.NaN) : (lossSum / seen, (double)correct / seen);
    }

    private void HaltUntilKilled()
    {
        File.WriteAllText(Path.Combine(options.CheckpointDir, HaltMarker), $"{Environment.ProcessId}\n");
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Predictions on a split in eval mode without gradients (see <see cref="Evaluation.Predict"/>).</summary>
    public Evaluation Evaluate(DataLoader loader, int epoch = 0) =>
        Evaluation.Predict(model, forward, loader, progress == null ? null : new Progress(progress, epoch, options.Epochs, () => Context.CurrentLr));

    private sealed class Progress(IProgress<TrainProgress> inner, int epoch, int epochs, Func<double> lr) : IProgress<(int batch, int batches, TimeSpan elapsed)>
    {
        public void Report((int batch, int batches, TimeSpan elapsed) p) =>
            inner.Report(new TrainProgress("eval", epoch, epochs, p.batch, p.batches, double.NaN, double.NaN, lr(), p.elapsed));
    }

    // ---- resume state --------------------------------------------------------------------------------------------

    private void SaveResumeState(int epoch)
    {
        var trainer = new JsonObject
        {
            ["epoch"] = epoch,
            ["history"] = JsonSerializer.SerializeToNode(Context.History, HistoryLogger.JsonOptions),
            ["callbacks"] = new JsonObject(callbacks.Select(cb => KeyValuePair.Create(cb.StateKey, (JsonNode?)cb.StateDict()))),
        };
        trainer["scheduler_steps"] = schedulerSteps;
        using var rng = torch.random.get_rng_state();
        TrainingCheckpoint.Save(LastCheckpointPath, model.state_dict(), Context.Optimizer,
            new Dictionary<string, string> { ["trainer"] = trainer.ToJsonString() },
            new Dictionary<string, Tensor> { ["rng_state"] = rng });
    }

    private int Resume(string path)
    {
        // Schedulers carry no saved state: replay their steps from the initial learning rate first (TorchSharp's are
        // chainable, so they must start where the uninterrupted run started), then the optimizer's saved state (its
        // learning rate included) replaces whatever the replay left.
        var (weights, extra, meta) = TrainingCheckpoint.LoadAll(path, Context.Optimizer, beforeOptimizer: ReplayScheduler);
        try
        {
            StateDicts.LoadStrict(model, weights, path);
            var state = TrainerState(path, meta);
            if (extra.TryGetValue("rng_state", out var rng)) torch.random.set_rng_state(rng);
            var history = state["history"].Deserialize<List<EpochRecord>>(HistoryLogger.JsonOptions) ?? [];
            Context.History.Clear();
            Context.History.AddRange(history);
            var saved = state["callbacks"]?.AsObject() ?? [];
            foreach (var cb in callbacks)
                if (saved[cb.StateKey] is JsonObject s) cb.LoadStateDict(s);
            return state["epoch"]!.GetValue<int>();
        }
        finally
        {
            foreach (var t in weights.Values.Concat(extra.Values)) t.Dispose();
        }
    }

    private static JsonObject TrainerState(string path, IReadOnlyDictionary<string, string> meta) =>
        meta.TryGetValue("trainer", out var json) ? JsonNode.Parse(json)!.AsObject()
            : throw new FormatException($"{path}: not a trainer checkpoint (no 'trainer' metadata)");

    private void ReplayScheduler(IReadOnlyDictionary<string, string> meta)
    {
        var steps = TrainerState(LastCheckpointPath, meta)["scheduler_steps"]?.GetValue<long>() ?? 0;
        for (var i = 0; i < steps; i++) StepScheduler();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Trainer(epochs={options.Epochs})");
}
