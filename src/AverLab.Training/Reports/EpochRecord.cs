namespace AverLab.Training.Reports;

/// <summary>One row of history.csv.</summary>
public sealed record EpochRecord
{
    public int Epoch { get; init; }
    public double TrainLoss { get; init; }
    public double TrainAcc { get; init; }
    public double ValLoss { get; init; } = double.NaN;
    public double ValAcc { get; init; } = double.NaN;
    public double Lr { get; init; }
    public double Seconds { get; init; }

    /// <summary>The value of a monitored metric by its name (train_loss, train_acc, val_loss, val_acc).</summary>
    public double Get(string metric) => metric switch
    {
        "train_loss" => TrainLoss,
        "train_acc" => TrainAcc,
        "val_loss" => ValLoss,
        "val_acc" => ValAcc,
        "lr" => Lr,
        _ => throw new ArgumentException($"unknown metric '{metric}' (known: train_loss, train_acc, val_loss, val_acc, lr)"),
    };

    public static readonly string[] MetricNames = ["train_loss", "train_acc", "val_loss", "val_acc", "lr"];
}
