using AverLab.Data.Loading;
using AverLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using AverLab.Training.Callbacks;
using AverLab.Training.Configuration;
using AverLab.Training.Reports;
using AverLab.Training.Loop;
using static TorchSharp.torch;

namespace AverLab.Training.Tests.Loop;

/// <summary>The loop on a small learnable problem: 3 Gaussian blobs in 8-D, an MLP with dropout (so the random
/// generator matters for exact resume).</summary>
[Collection("trainer")]
public sealed class TrainerTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-trainer-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static InMemoryDataset Blobs(int n, int seed)
    {
        var rng = new Random(seed);
        var examples = new List<Example>();
        for (var i = 0; i < n; i++)
        {
            var label = i % 3;
            var x = new float[8];
            for (var d = 0; d < 8; d++) x[d] = (float)(rng.NextDouble() - 0.5 + (d % 3 == label ? 1.5 : 0));
            examples.Add(new Example(x, [8], label));
        }
        return new InMemoryDataset(examples);
    }

    private sealed record Setup(Sequential Model, OptimizerHelper Optimizer, optim.lr_scheduler.LRScheduler Scheduler, List<Callback> Callbacks);

    private static Setup Build(string checkpoints, double lr = 0.05)
    {
        manual_seed(11);
        var model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3));
        var opt = optim.SGD(model.parameters(), lr, momentum: 0.9);
        var sched = optim.lr_scheduler.StepLR(opt, 3, 0.5);
        var callbacks = new List<Callback>
        {
            new ModelCheckpoint("val_acc", MonitorMode.Max),
            new EarlyStopping("val_loss", MonitorMode.Min, patience: 50),
            new ReduceLrOnPlateau("train_loss", MonitorMode.Min, factor: 0.5, patience: 1),
            new HistoryLogger(checkpoints),
        };
        return new Setup(model, opt, sched, callbacks);
    }

    private (IReadOnlyList<EpochRecord> history, Evaluation test, Setup setup) Run(string name, int epochs, int? stopAfter = null, string? resume = null)
    {
        var ckpt = Path.Combine(dir, name);
        var s = Build(ckpt);
        var train = new AverLab.Data.Loading.DataLoader(Blobs(96, 1), new DataLoaderOptions { BatchSize = 16, Seed = 5, Prefetch = 2 });
        var val = new AverLab.Data.Loading.DataLoader(Blobs(30, 2), new DataLoaderOptions { BatchSize = 16, Shuffle = false }, SplitRole.Validation);
        var trainer = new Trainer(s.Model, b => s.Model.call(b.Inputs), s.Optimizer, s.Scheduler, s.Callbacks,
            new TrainerOptions { Epochs = epochs, CheckpointDir = ckpt, GradClip = 5, StopAfterEpochs = stopAfter, ResumeFrom = resume });
        var history = trainer.Fit(train, val);
        var test = trainer.Evaluate(new AverLab.Data.Loading.DataLoader(Blobs(60, 3), new DataLoaderOptions { BatchSize = 32, Shuffle = false }, SplitRole.Test));
        return (history, test, s);
    }

    [Fact]
    public void LearnsAndWritesCheckpointsAndHistory()
    {
        var (history, test, _) = Run("learn", 8);
        Assert.Equal(8, history.Count);
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss);
        Assert.True(test.Accuracy > 0.9, $"test accuracy {test.Accuracy}");
        Assert.True(File.Exists(Path.Combine(dir, "learn", "best.safetensors")));
        Assert.True(File.Exists(Path.Combine(dir, "learn", "last.safetensors")));
        var csv = File.ReadAllLines(Path.Combine(dir, "learn", "history.csv"));
        Assert.Equal("epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds", csv[0]);
        Assert.Equal(9, csv.Length);
        // StepLR halves every 3 epochs: 0.05, 0.05, 0.05, 0.025 ... (ReduceLROnPlateau may lower it further).
        Assert.Equal(0.05, history[0].Lr, 12);
        Assert.True(history[3].Lr <= 0.025 + 1e-12);
    }

    [Fact]
    public void SameSeedTwiceGivesIdenticalResults()
    {
        var a = Run("a", 4);
        var b = Run("b", 4);
        Assert.Equal(a.history.Select(h => (h.TrainLoss, h.ValLoss, h.Lr)), b.history.Select(h => (h.TrainLoss, h.ValLoss, h.Lr)));
        Assert.Equal(a.test.Probabilities, b.test.Probabilities);
    }

    [Fact]
    public void ResumedRunEqualsUninterruptedRunBitwise()
    {
        var full = Run("full", 6);
        var first = Run("split", 6, stopAfter: 2);
        Assert.Equal(2, first.history.Count);
        var resumed = Run("split", 6, resume: Path.Combine(dir, "split", "last.safetensors"));
        Assert.Equal(6, resumed.history.Count);
        Assert.Equal(full.history.Select(h => (h.TrainLoss, h.TrainAcc, h.ValLoss, h.ValAcc, h.Lr)),
            resumed.history.Select(h => (h.TrainLoss, h.TrainAcc, h.ValLoss, h.ValAcc, h.Lr)));
        Assert.Equal(full.test.Probabilities, resumed.test.Probabilities);
    }

    [Fact]
    public void NanLossStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint()
    {
        var ckpt = Path.Combine(dir, "nan");
        var s = Build(ckpt);
        var train = new AverLab.Data.Loading.DataLoader(Blobs(32, 1), new DataLoaderOptions { BatchSize = 16, Seed = 5 });
        var calls = 0;
        var trainer = new Trainer(s.Model, b =>
        {
            var y = s.Model.call(b.Inputs);
            return ++calls > 3 ? y * double.NaN : y; // epoch 2, batch 2 goes bad
        }, s.Optimizer, null, [], new TrainerOptions { Epochs = 3, CheckpointDir = ckpt });
        var e = Assert.Throws<NonFiniteLossException>(() => { trainer.Fit(train, null); });
        Assert.Equal(2, e.Epoch);
        Assert.Contains("NaN at epoch 2, batch 2", e.Message);
        Assert.Contains("last.safetensors", e.Message);
        var saved = AverLab.IO.SafeTensors.ReadRaw(Path.Combine(ckpt, "last.safetensors")).metadata;
        Assert.Contains("\"epoch\":1", saved["trainer"]);
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceAndRestoresBest()
    {
        var ckpt = Path.Combine(dir, "early");
        var s = Build(ckpt, lr: 0);  // lr 0: nothing improves after the first epoch
        var stop = new EarlyStopping("val_acc", MonitorMode.Max, patience: 2, restoreBest: true);
        var train = new AverLab.Data.Loading.DataLoader(Blobs(32, 1), new DataLoaderOptions { BatchSize = 16, Seed = 5 });
        var val = new AverLab.Data.Loading.DataLoader(Blobs(30, 2), new DataLoaderOptions { BatchSize = 16, Shuffle = false }, SplitRole.Validation);
        var trainer = new Trainer(s.Model, b => s.Model.call(b.Inputs), s.Optimizer, null, [stop],
            new TrainerOptions { Epochs = 20, CheckpointDir = ckpt });
        var history = trainer.Fit(train, val);
        Assert.Equal(3, history.Count);
        Assert.Equal(StopReason.Patience, stop.Reason);
        Assert.Contains("did not improve for 2 epochs", trainer.Context.StopRequested);
        stop.Dispose();
    }
}
