using System.Text.Json;
using System.Text.Json.Serialization;

namespace AverLab.Runs;

/// <summary>metrics.json: the test metrics of a finished run and a summary of its training. Written once by the trainer
/// (<see cref="RunFolder.WriteMetrics"/>), read by evaluation, packaging, cross-validation, the web app and the
/// notebooks. A value that is not a finite number is null.</summary>
public sealed record MetricsRecord
{
    [JsonPropertyName("test")] public required TestMetrics Test { get; init; }
    [JsonPropertyName("epochs")] public int Epochs { get; init; }
    /// <summary>The best validation accuracy of any epoch; null without a validation split.</summary>
    [JsonPropertyName("best_val_acc")] public double? BestValAcc { get; init; }
    [JsonPropertyName("best_epoch")] public int? BestEpoch { get; init; }
    [JsonPropertyName("final_train_loss")] public double? FinalTrainLoss { get; init; }
    /// <summary>Why training stopped before its epochs (early stopping), null when it ran them all.</summary>
    [JsonPropertyName("stopped_early")] public string? StoppedEarly { get; init; }
    /// <summary>Frame models: the metrics after averaging each video's frame probabilities.</summary>
    [JsonPropertyName("test_per_video"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TestMetrics? TestPerVideo { get; init; }
    /// <summary>Classical models: accuracy on the training split.</summary>
    [JsonPropertyName("train_accuracy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TrainAccuracy { get; init; }
    /// <summary>Classical models with a validation split.</summary>
    [JsonPropertyName("validation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ValidationMetrics? Validation { get; init; }

    /// <summary>The record at <paramref name="path"/>; null when there is no such file.</summary>
    /// <exception cref="InvalidDataException">The file is not a metrics record (names the file and the problem).</exception>
    public static MetricsRecord? Read(string path) => RecordFile.Read<MetricsRecord>(path, "metrics record");
}

/// <summary>Classification metrics of one split, with bootstrap 95 % confidence intervals where computed.</summary>
public sealed record TestMetrics
{
    [JsonPropertyName("accuracy")] public double? Accuracy { get; init; }
    [JsonPropertyName("accuracy_ci95")] public double?[]? AccuracyCi95 { get; init; }
    [JsonPropertyName("balanced_accuracy")] public double? BalancedAccuracy { get; init; }
    [JsonPropertyName("macro_f1")] public double? MacroF1 { get; init; }
    [JsonPropertyName("macro_f1_ci95")] public double?[]? MacroF1Ci95 { get; init; }
    [JsonPropertyName("weighted_f1")] public double? WeightedF1 { get; init; }
    [JsonPropertyName("roc_auc_macro_ovr")] public double? RocAucMacroOvr { get; init; }
    /// <summary>Expected calibration error.</summary>
    [JsonPropertyName("ece")] public double? Ece { get; init; }
    [JsonPropertyName("loss")] public double? Loss { get; init; }
    [JsonPropertyName("count")] public int Count { get; init; }
    /// <summary>By class name, in the order of <see cref="Labels"/>.</summary>
    [JsonPropertyName("per_class")] public Dictionary<string, ClassMetrics> PerClass { get; init; } = [];
    /// <summary>Rows: true class; columns: predicted class (both in <see cref="Labels"/> order).</summary>
    [JsonPropertyName("confusion")] public long[][] Confusion { get; init; } = [];
    [JsonPropertyName("labels")] public string[] Labels { get; init; } = [];
}

public sealed record ClassMetrics
{
    [JsonPropertyName("precision")] public double? Precision { get; init; }
    [JsonPropertyName("recall")] public double? Recall { get; init; }
    [JsonPropertyName("f1")] public double? F1 { get; init; }
    [JsonPropertyName("support")] public long Support { get; init; }
}

public sealed record ValidationMetrics
{
    [JsonPropertyName("accuracy")] public double Accuracy { get; init; }
    [JsonPropertyName("macro_f1")] public double MacroF1 { get; init; }
    [JsonPropertyName("loss")] public double Loss { get; init; }
}
