using System.Text.Json;
using AverLab.Runs;

namespace AverLab.Training.Tests.Runs;

/// <summary>run.json's typed record reads every file the trainer has written and writes it back byte for byte (the
/// shipped packages' run.json, written before the record existed, and one with every optional part); a resume keeps
/// when and on which commit the run began.</summary>
public sealed class RunRecordTests
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

    public static TheoryData<string> ShippedRuns()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(Repo, "models"), RunLayout.RunJson, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Repo, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedRuns))]
    public void AShippedRunFileRoundTripsByteForByte(string relative)
    {
        var path = Path.Combine(Repo, relative);
        var record = RunRecord.Read(path)!;
        Assert.Equal(42, record.Seed);
        Assert.Matches("^[0-9a-f]{40}$", record.GitCommit);
        Assert.Null(record.Other);
        Assert.Equal(File.ReadAllText(path), JsonSerializer.Serialize(record, RunFolder.JsonFormat) + "\n");
    }

    private static RunRecord Full(string started, string commit) => new()
    {
        Seed = 7, GitCommit = commit, GitDirty = null, AverLab = "1.0.0.0", TorchSharp = "0.107.0.0", LibTorch = "2.10.0.0",
        DotNet = "10.0.12", Os = "Debian", Threads = 2, MklDispatch = "cpu-features", FinalizerGuard = "on", Processors = 2,
        DataManifestSha256 = "ab", StartedUtc = started, Trainer = "ML.NET 4.0.2", TrainItems = 10, ValidationItems = 0, TestItems = 3,
        Distributed = new DistributedRecord { Ranks = 2, BucketMb = 25 },
        Pca = new PcaRecord { Inputs = 1020, Components = 64, ExplainedVariance = 0.912345 },
        Smote = new() { ["sad"] = new SmoteCount { Train = 4, Synthetic = 6 }, ["angry"] = new SmoteCount { Train = 10, Synthetic = 0 } },
    };

    [Fact]
    public void EveryOptionalPartIsWrittenAndReadBackAndAResumeKeepsTheStart()
    {
        var dir = Directory.CreateTempSubdirectory("averlab-run-").FullName;
        try
        {
            var folder = RunFolder.At(dir);
            folder.WriteRunJson(Full("2026-01-01T00:00:00Z", "c1"));
            var text = File.ReadAllText(folder.RunJson);
            Assert.Contains("\"git_dirty\": null", text);
            Assert.Contains("\"bucket_mb\": 25", text);
            Assert.True(text.IndexOf("\"sad\"", StringComparison.Ordinal) < text.IndexOf("\"angry\"", StringComparison.Ordinal), "smote keeps the class order");
            Assert.DoesNotContain("resumed_utc", text);
            var back = folder.ReadRun()!;
            Assert.Equal(text, JsonSerializer.Serialize(back, RunFolder.JsonFormat) + "\n");

            folder.WriteRunJson(Full("2026-01-02T00:00:00Z", "c2"));
            folder.WriteRunJson(Full("2026-01-03T00:00:00Z", "c3"));
            var resumed = folder.ReadRun()!;
            Assert.Equal("2026-01-01T00:00:00Z", resumed.StartedUtc);
            Assert.Equal("c1", resumed.GitCommit);
            Assert.Equal(["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"], resumed.ResumedUtc!);
            Assert.Equal(["c2", "c3"], resumed.ResumedGitCommit!);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void UnknownKeysSurviveAReadAndADamagedFileIsNamedThenReplacedOnResume()
    {
        var dir = Directory.CreateTempSubdirectory("averlab-run-").FullName;
        try
        {
            var folder = RunFolder.At(dir);
            Assert.Null(folder.ReadRun());
            File.WriteAllText(folder.RunJson, "{\"seed\": 3, \"git_commit\": \"x\", \"future_key\": {\"a\": 1}}");
            var read = folder.ReadRun()!;
            Assert.Equal(3, read.Seed);
            Assert.Contains("\"future_key\"", JsonSerializer.Serialize(read, RunFolder.JsonFormat));

            File.WriteAllText(folder.RunJson, "{\"seed\": [");
            var e = Assert.Throws<InvalidDataException>(folder.ReadRun);
            Assert.StartsWith(folder.RunJson + ": ", e.Message, StringComparison.Ordinal);
            folder.WriteRunJson(Full("2026-02-01T00:00:00Z", "c9"));
            Assert.Equal("2026-02-01T00:00:00Z", folder.ReadRun()!.StartedUtc);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
