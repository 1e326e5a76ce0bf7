using System.Globalization;
using System.Text;
using AverLab.Training.Experiments;
using AverLab.Training.Metrics;
using AverLab.Training.Reports;
using Microsoft.Data.Analysis;
using AverLab.Runs;

namespace AverLab.Notebooks;

/// <summary>A run's tables as Microsoft.Data.Analysis DataFrames: the training history, per-class metrics, sweep
/// results and cross-validation folds, from the objects in memory or from the CSV files a run, sweep or CV writes.
/// Displayed in a notebook they render as HTML tables (<see cref="NotebookFormatters"/>).</summary>
public static class Tables
{
    /// <summary>Reads a CSV file written by AverLab (comma-separated, header row, invariant numbers) whatever the
    /// current culture. <c>DataFrame.LoadCsv</c> alone guesses numbers as Single and parses them with the current
    /// culture (under de-DE "1.1000000000000001" reads as 1.1E+16); here every column's type is decided from all its
    /// values first — whole numbers Int64, other numbers (NaN and ±Infinity included) Double, True/False Boolean,
    /// anything else String — and both the types and <see cref="CultureInfo.InvariantCulture"/> are given to it.
    /// Empty fields are missing values.</summary>
    public static DataFrame LoadCsv(string path) => ReadCsv(File.ReadAllText(path, Encoding.UTF8));

    /// <summary><see cref="LoadCsv"/> on CSV text.</summary>
    public static DataFrame ReadCsv(string csv)
    {
        var records = ParseRecords(csv);
        if (records.Count == 0) throw new InvalidDataException("CSV has no header row");
        var header = records[0];
        var types = new Type[header.Count];
        for (var c = 0; c < header.Count; c++)
            types[c] = ColumnType(records.Skip(1).Select(r => c < r.Count ? r[c] : ""));
        return DataFrame.LoadCsvFromString(csv, separator: ',', header: true, dataTypes: types, guessRows: Math.Max(1, records.Count),
            cultureInfo: CultureInfo.InvariantCulture);
    }

    /// <summary>history.csv of a run folder (epoch, train_loss, train_acc, val_loss, val_acc, lr, seconds).</summary>
    public static DataFrame History(string runDir) => LoadCsv(RunFolder.At(runDir).HistoryCsv);

    /// <summary>The history in memory, with history.csv's columns.</summary>
    public static DataFrame History(IReadOnlyList<EpochRecord> history) => new(
        new Int64DataFrameColumn("epoch", history.Select(h => (long)h.Epoch)),
        new DoubleDataFrameColumn("train_loss", history.Select(h => h.TrainLoss)),
        new DoubleDataFrameColumn("train_acc", history.Select(h => h.TrainAcc)),
        new DoubleDataFrameColumn("val_loss", history.Select(h => h.ValLoss)),
        new DoubleDataFrameColumn("val_acc", history.Select(h => h.ValAcc)),
        new DoubleDataFrameColumn("lr", history.Select(h => h.Lr)),
        new DoubleDataFrameColumn("seconds", history.Select(h => h.Seconds)));

    /// <summary>Precision, recall, F1 and support per class.</summary>
    public static DataFrame PerClass(ClassificationMetrics m) => new(
        new StringDataFrameColumn("class", m.Labels),
        new DoubleDataFrameColumn("precision", m.Precision),
        new DoubleDataFrameColumn("recall", m.Recall),
        new DoubleDataFrameColumn("f1", m.F1),
        new Int64DataFrameColumn("support", m.Support));

    /// <summary>results.csv of a sweep folder (rank, trial, rung, epochs, the metric, then one column per searched
    /// key), best first.</summary>
    public static DataFrame Sweep(string sweepDir) => LoadCsv(Path.Combine(sweepDir, RunLayout.SweepResultsCsv));

    /// <summary>cv.csv of a cross-validation folder (fold, accuracy, macro_f1, balanced_accuracy, run).</summary>
    public static DataFrame Folds(string cvDir) => LoadCsv(Path.Combine(cvDir, "cv.csv"));

    /// <summary>The folds of a finished cross-validation, with cv.csv's columns.</summary>
    public static DataFrame Folds(CrossValidation.Summary summary) => new(
        new Int64DataFrameColumn("fold", summary.Folds.Select(f => (long)f.Fold)),
        new DoubleDataFrameColumn("accuracy", summary.Folds.Select(f => f.Accuracy)),
        new DoubleDataFrameColumn("macro_f1", summary.Folds.Select(f => f.MacroF1)),
        new DoubleDataFrameColumn("balanced_accuracy", summary.Folds.Select(f => f.BalancedAccuracy)),
        new StringDataFrameColumn("run", summary.Folds.Select(f => f.Run)));

    private static Type ColumnType(IEnumerable<string> values)
    {
        bool integer = true, number = true, boolean = true, any = false;
        foreach (var v in values)
        {
            if (v.Length == 0) continue;
            any = true;
            integer &= long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            number &= double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            boolean &= bool.TryParse(v, out _);
        }
        return !any ? typeof(string) : integer ? typeof(long) : number ? typeof(double) : boolean ? typeof(bool) : typeof(string);
    }

    /// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static List<List<string>> ParseRecords(string csv)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, fieldStarted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var ch = csv[i];
            if (quoted)
            {
                if (ch != '"') field.Append(ch);
                else if (i + 1 < csv.Length && csv[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
                continue;
            }
            switch (ch)
            {
                case '"': quoted = true; fieldStarted = true; break;
                case ',': record.Add(field.ToString()); field.Clear(); fieldStarted = true; break;
                case '\r': break;
                case '\n':
                    if (fieldStarted || field.Length > 0 || record.Count > 0) { record.Add(field.ToString()); records.Add(record); }
                    record = []; field.Clear(); fieldStarted = false;
                    break;
                default: field.Append(ch); fieldStarted = true; break;
            }
        }
        if (fieldStarted || field.Length > 0 || record.Count > 0) { record.Add(field.ToString()); records.Add(record); }
        return records;
    }
}
