using System.Text.Json;
using AverLab.Runs;

namespace AverLab.Training.Tests.Runs;

/// <summary>metrics.json's typed record reads every file the trainer has written and writes it back byte for byte: the
/// shipped packages' metrics.json (written before the record existed) and a record with every optional part.</summary>
public sealed class MetricsRecordTests
{
    private static string Repo
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "AverLab.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("AverLab.sln");
            return dir;
        }
    }

    public static TheoryData<string> ShippedMetrics()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(Repo, "models"), RunLayout.MetricsJson, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Repo, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedMetrics))]
    public void AShippedMetricsFileRoundTripsByteForByte(string relative)
    {
        var path = Path.Combine(Repo, relative);
        var record = MetricsRecord.Read(path)!;
        Assert.NotNull(record.Test.Accuracy);
        Assert.Equal(File.ReadAllText(path), JsonSerializer.Serialize(record, RunFolder.JsonFormat) + "\n");
    }

    [Fact]
    public void EveryOptionalPartIsWrittenAndReadBack()
    {
        var test = new TestMetrics
        {
            Accuracy = 0.5, AccuracyCi95 = [0.25, null], BalancedAccuracy = 0.5, MacroF1 = null, Count = 2,
            PerClass = new() { ["b"] = new ClassMetrics { Precision = 1, Recall = 0.5, F1 = 0.666666666667, Support = 2 }, ["a"] = new ClassMetrics { Support = 0 } },
            Confusion = [[0, 0], [1, 1]], Labels = ["b", "a"],
        };
        var record = new MetricsRecord
        {
            Test = test, Epochs = 3, BestValAcc = 0.75, BestEpoch = 2, FinalTrainLoss = 0.1, StoppedEarly = "early_stopping",
            TestPerVideo = test with { Count = 1 }, TrainAccuracy = 1, Validation = new ValidationMetrics { Accuracy = 0.5, MacroF1 = 0.25, Loss = 1.5 },
        };
        var dir = Directory.CreateTempSubdirectory("averlab-metrics-").FullName;
        try
        {
            var folder = RunFolder.At(dir);
            folder.WriteMetrics(record);
            var text = File.ReadAllText(folder.MetricsJson);
            Assert.Contains("\"macro_f1\": null", text);
            Assert.Contains("\"stopped_early\": \"early_stopping\"", text);
            Assert.True(text.IndexOf("\"b\"", StringComparison.Ordinal) < text.IndexOf("\"a\":", StringComparison.Ordinal), "per_class keeps the label order");
            var back = folder.ReadMetrics()!;
            Assert.Equal(text, JsonSerializer.Serialize(back, RunFolder.JsonFormat) + "\n");
            Assert.Equal(1, back.TestPerVideo!.Count);
            Assert.Equal(1.5, back.Validation!.Loss);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void WithoutAFileThereIsNoRecordAndADamagedOneIsNamed()
    {
        var dir = Directory.CreateTempSubdirectory("averlab-metrics-").FullName;
        try
        {
            var folder = RunFolder.At(dir);
            Assert.False(folder.HasMetrics);
            Assert.Null(folder.ReadMetrics());
            File.WriteAllText(folder.MetricsJson, "{\"test\": [");
            var e = Assert.Throws<InvalidDataException>(folder.ReadMetrics);
            Assert.StartsWith(folder.MetricsJson + ": ", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
