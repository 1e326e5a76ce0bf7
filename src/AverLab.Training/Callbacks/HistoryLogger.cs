using System.Globalization;
using System.Text.Json;
using AverLab.Training.Reports;
using AverLab.Training.Loop;
using CsvHelper;
using AverLab.Runs;

namespace AverLab.Training.Callbacks;

/// <summary>Writes the history as CSV (history.csv, CsvHelper) and JSON lines (history.jsonl) after every epoch,
/// rewriting each file whole and atomically, so a killed run never leaves a torn row.</summary>
public sealed class HistoryLogger(string directory) : Callback
{
    public string CsvPath => RunFolder.At(directory).HistoryCsv;
    public string JsonlPath => RunFolder.At(directory).HistoryJsonl;

    public override void OnEpochEnd(TrainerContext context, EpochRecord record) => Write(context.History);

    public void Write(IReadOnlyList<EpochRecord> history)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var w = CsvWriter.Create(text, CsvWriterOptions.Default, true))
        {
            foreach (var name in Columns) w.WriteField(name);
            w.EndRecord();
            foreach (var h in history)
            {
                foreach (var v in new double[] { h.Epoch, h.TrainLoss, h.TrainAcc, h.ValLoss, h.ValAcc, h.Lr, h.Seconds })
                    w.WriteField(v.ToString("R", CultureInfo.InvariantCulture));
                w.EndRecord();
            }
            w.Flush();
        }
        AverLab.IO.AtomicFile.WriteAllText(CsvPath, text.ToString());
        var lines = string.Concat(history.Select(h => JsonSerializer.Serialize(h, JsonOptions) + "\n"));
        AverLab.IO.AtomicFile.WriteAllText(JsonlPath, lines);
    }

    public static readonly string[] Columns = ["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds"];

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
