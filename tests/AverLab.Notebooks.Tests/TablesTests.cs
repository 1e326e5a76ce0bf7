using System.Globalization;
using AverLab.Notebooks;
using AverLab.Training.Callbacks;
using AverLab.Training.Reports;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace AverLab.Notebooks.Tests;

/// <summary>Run tables as DataFrames: CSV read the same under any culture, with the column types AverLab writes.</summary>
public sealed class TablesTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-tables-").FullName;
    private readonly CultureInfo culture = CultureInfo.CurrentCulture;

    public void Dispose()
    {
        CultureInfo.CurrentCulture = culture;
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private const string Csv = "epoch,train_loss,lr,name,flag\n1,1.1000000000000001,0.001,\"a, b\",True\n2,NaN,1E-05,c,False\n";

    [Fact]
    public void LoadCsvReadsTheSameUnderAGermanCulture()
    {
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        Assert.Equal(",", CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator); // a real German culture (ICU)
        var path = Path.Combine(dir, "h.csv");
        File.WriteAllText(path, Csv);

        var df = Tables.LoadCsv(path);
        Assert.Equal([typeof(long), typeof(double), typeof(double), typeof(string), typeof(bool)], df.Columns.Select(c => c.DataType));
        Assert.Equal(1.1000000000000001, (double)df["train_loss"][0]!);
        Assert.True(double.IsNaN((double)df["train_loss"][1]!));
        Assert.Equal(1e-5, (double)df["lr"][1]!);
        Assert.Equal(2L, df["epoch"][1]);
        Assert.Equal("a, b", df["name"][0]);
        Assert.Equal(true, df["flag"][0]);

        // What the loader guards against: LoadCsv's own guess (Single) under the current culture misreads the value.
        var naive = DataFrame.LoadCsv(path);
        Assert.NotEqual(1.1000000000000001, Convert.ToDouble(naive["train_loss"][0], CultureInfo.InvariantCulture), 6);
    }

    [Fact]
    public void HistoryFromHistoryCsvEqualsTheRecords()
    {
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        EpochRecord[] history =
        [
            new() { Epoch = 1, TrainLoss = 1.1000000000000001, TrainAcc = 0.25, ValLoss = 1.3, ValAcc = 0.2, Lr = 1e-3, Seconds = 1.5 },
            new() { Epoch = 2, TrainLoss = 0.9, TrainAcc = 0.5, Lr = 5e-4, Seconds = 1.25 }, // no validation: NaN
        ];
        new HistoryLogger(dir).Write(history); // the file a run writes
        var fromFile = Tables.History(dir);
        var fromMemory = Tables.History(history);
        Assert.Equal(HistoryLogger.Columns, fromFile.Columns.Select(c => c.Name));
        Assert.Equal(fromMemory.Columns.Select(c => c.Name), fromFile.Columns.Select(c => c.Name));
        for (var c = 0; c < fromFile.Columns.Count; c++)
            for (var r = 0; r < history.Length; r++)
                Assert.Equal(Convert.ToDouble(fromMemory.Columns[c][r], CultureInfo.InvariantCulture), Convert.ToDouble(fromFile.Columns[c][r], CultureInfo.InvariantCulture));
        Assert.True(double.IsNaN((double)fromFile["val_loss"][1]!));
        Assert.Equal(typeof(long), fromFile["epoch"].DataType);
    }

    [Fact]
    public void SweepAndFoldsReadWithTheirColumnTypes()
    {
        var sweep = Path.Combine(dir, "sweep");
        Directory.CreateDirectory(sweep);
        // results.csv as SweepRunner writes it: rank, trial, rung, epochs, the metric, then the searched keys.
        File.WriteAllText(Path.Combine(sweep, "results.csv"),
            "rank,trial,rung,epochs,val_acc,model.params.dropout,training.optimizer.lr\n1,3,1,4,0.625,0.30000000000000004,0.0031622776601683794\n2,0,0,2,0.5,0.1,0.001\n");
        var s = Tables.Sweep(sweep);
        Assert.Equal(typeof(long), s["rank"].DataType);
        Assert.Equal(typeof(double), s["val_acc"].DataType);
        Assert.Equal(0.0031622776601683794, (double)s["training.optimizer.lr"][0]!);

        var cv = Path.Combine(dir, "cv");
        Directory.CreateDirectory(cv);
        File.WriteAllText(Path.Combine(cv, "cv.csv"), "fold,accuracy,macro_f1,balanced_accuracy,run\n0,0.5,0.4,0.45,/x/fold-0\n1,0.75,0.7,0.72,/x/fold-1\n");
        var f = Tables.Folds(cv);
        Assert.Equal([typeof(long), typeof(double), typeof(double), typeof(double), typeof(string)], f.Columns.Select(c => c.DataType));
        Assert.Equal(0.625, ((DoubleDataFrameColumn)f["accuracy"]).Mean(), 12);
        var summary = new AverLab.Training.Experiments.CrossValidation.Summary("/x", AverLab.Training.Experiments.CrossValidation.Protocol.Speaker, ["a", "b"],
            [new(0, "/x/fold-0", 0.5, 0.4, 0.45, new long[2, 2]), new(1, "/x/fold-1", 0.75, 0.7, 0.72, new long[2, 2])], null);
        Assert.Equal(f["accuracy"].Cast<object>(), Tables.Folds(summary)["accuracy"].Cast<object>());
    }

    [Fact]
    public void DataFramesTensorsAndPlotsFormatForTheNotebook()
    {
        NotebookFormatters.Register();
        var df = Tables.ReadCsv(Csv);
        var html = df.ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains("<table>", html);
        Assert.Contains("<span>train_loss</span>", html);
        Assert.Contains("a, b", html);
        Assert.Contains("text/html", Formatter.GetPreferredMimeTypesFor(typeof(DataFrame)));

        using var plot = new ScottPlot.Plot();
        plot.Add.Signal(new double[] { 1, 2, 1 });
        Assert.Equal(["image/png"], Formatter.GetPreferredMimeTypesFor(typeof(ScottPlot.Plot)));
        var png = Convert.FromBase64String(plot.ToDisplayString("image/png"));
        Assert.Equal(0x89, png[0]);

        using var t = TorchSharp.torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        var tensorHtml = t.ToDisplayString(HtmlFormatter.MimeType);
        Assert.Contains("<b>tensor</b> [2 x 3] float32", tensorHtml);
        Assert.Contains("<span>2</span>", tensorHtml); // column headers 0..2
        using var big = TorchSharp.torch.zeros(30, 30);
        Assert.Contains("<pre>", big.ToDisplayString(HtmlFormatter.MimeType));
    }
}
