using AverLab.Data.Features;
using AverLab.Training.Loop;
using Spectre.Console;

namespace AverLab.Train;

/// <summary>Renders training and feature-cache progress with Spectre.Console: a live bar (epoch, batch, loss,
/// accuracy, LR, ETA) on a terminal, and one plain line per epoch when output is redirected (CI logs).</summary>
internal sealed class ConsoleProgress : IProgress<TrainProgress>, IProgress<FeatureCacheProgress>
{
    private readonly ProgressContext? context;
    private ProgressTask? trainTask;
    private ProgressTask? cacheTask;
    private int lastEpochPrinted;
    private DateTime lastCachePrint = DateTime.MinValue;

    private ConsoleProgress(ProgressContext? context) => this.context = context;

    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> with a progress display suited to the console.</summary>
    public static T Run<T>(Func<ConsoleProgress, T> work)
    {
        if (!Interactive) return work(new ConsoleProgress(null));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => result = work(new ConsoleProgress(ctx)));
        return result;
    }

    public void Report(TrainProgress p)
    {
        if (context == null)
        {
            if (p.Phase == "train" && p.Batch == p.Batches && p.Epoch != lastEpochPrinted)
            {
                lastEpochPrinted = p.Epoch;
                Console.WriteLine($"epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:F4}  acc {p.Accuracy:P1}  lr {p.Lr:G3}  {p.Elapsed.TotalSeconds:F1}s");
            }
            return;
        }
        trainTask ??= context.AddTask("training", maxValue: p.Epochs);
        var done = p.Epoch - 1 + (p.Phase == "train" ? (double)p.Batch / Math.Max(1, p.Batches) : 1);
        trainTask.Value = Math.Min(done, p.Epochs);
        trainTask.Description = p.Phase == "train"
            ? $"epoch {p.Epoch}/{p.Epochs} batch {p.Batch}/{p.Batches} loss {p.Loss:F4} acc {p.Accuracy:P1} lr {p.Lr:G3}"
            : $"epoch {p.Epoch}/{p.Epochs} validating {p.Batch}/{p.Batches}";
    }

    public void Report(FeatureCacheProgress p)
    {
        var eta = p.Eta is { } e ? $"ETA {e.TotalSeconds:F0}s" : "";
        if (context == null)
        {
            if (p.Done == p.Total || DateTime.UtcNow - lastCachePrint > TimeSpan.FromSeconds(5))
            {
                lastCachePrint = DateTime.UtcNow;
                Console.WriteLine($"features {p.Done}/{p.Total}  {p.ItemsPerSecond:F0} items/s  computed {p.Computed}  failed {p.Failed}  {eta}");
            }
            return;
        }
        cacheTask ??= context.AddTask("features", maxValue: Math.Max(1, p.Total));
        cacheTask.Value = p.Done;
        cacheTask.Description = $"features {p.Done}/{p.Total} {p.ItemsPerSecond:F0} items/s {eta}";
    }
}
