using System.Text.RegularExpressions;
using AverLab.Web;
using Microsoft.Extensions.Configuration;

namespace Web.Tests;

/// <summary>No silent options: every option the README's web table lists is read into the settings (a value other
/// than the default changes them), refused with a message naming it when bad, and each has a test of its effect
/// (named here). The store's default place is the checkout's git-ignored data/web/, wherever the server starts.</summary>
public sealed partial class WebOptionsTests
{
    private static WebOptions Read(params (string Key, string Value)[] settings) =>
        WebOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    /// <summary>Option → a valid value, what it sets, a bad value, and the test that shows its effect.</summary>
    private static readonly Dictionary<string, (string Value, Func<WebOptions, object?> Read, object Expected, string? Bad, string EffectTest)> Options = new()
    {
        ["--experiments"] = ("/tmp/x-experiments", o => o.Experiments, "/tmp/x-experiments", null, "ApiTests.WithoutAFittingRunTheUploadIsRefusedWith422"),
        ["--models"] = ("/tmp/x-models", o => o.Models, "/tmp/x-models", null, "PackageSelectionTests.AnImageUploadWithoutRunsIsAnalysedByTheInstalledPackage"),
        ["--data"] = ("/tmp/x-data", o => o.Data, "/tmp/x-data", null, "ApiTests.AnalysesSurviveARestartAndUnfinishedOnesRunAgain"),
        ["--max-upload-mb"] = ("3", o => o.MaxUploadBytes, 3L * 1024 * 1024, "-1", "ApiTests.BadInputIsRefusedWithTheRightStatusAndMessage"),
        ["--workers"] = ("3", o => o.Workers, 3, "0", "QueueTests.TwoWorkersRunTwoAnalysesAtOnce"),
        ["--queue"] = ("7", o => o.QueueCapacity, 7, "0", "QueueTests.WaitingAnalysesKnowTheirPlaceAndBeyondTheQueueTheRefusalSaysWhenToRetry"),
        ["--concurrent-uploads"] = ("5", o => o.ConcurrentUploads, 5, "zero", "QueueTests.BeyondTheUploadsReceivedAtOnceTheRefusalSaysWhenToRetry"),
        ["--loaded-models"] = ("2", o => o.LoadedModels, 2, "0", "PredictorCacheTests.BeyondTheLimitTheLeastRecentlyUsedIdleRunIsUnloaded"),
        ["--keep-days"] = ("7", o => o.KeepDays, 7.0, "-1", "RetentionTests.FinishedAnalysesOlderThanKeepDaysAreDeletedWithTheirFiles"),
        ["--max-stored-mb"] = ("500", o => o.MaxStoredBytes, 500L * 1024 * 1024, "lots", "RetentionTests.BeyondMaxStoredMbTheOldestAnalysesAreDeleted"),
        ["--api-key"] = ("0123456789abcdef-key", o => o.ApiKey, "0123456789abcdef-key", "short", "PageAndSecurityTests.BeyondLoopbackEveryRouteNeedsTheKey"),
    };

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AverLab.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("not inside a checkout");
    }

    [GeneratedRegex(@"^\| `(--[a-z-]+)")]
    private static partial Regex OptionRow();

    /// <summary>The options of the README's "Web application" table.</summary>
    private static List<string> Documented()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot(), "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("## Web application", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        return lines[start..end].Select(l => OptionRow().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void EveryDocumentedOptionIsReadAndHasATestOfItsEffect()
    {
        var documented = Documented();
        Assert.Equal(Options.Keys.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        var defaults = Read();
        var testTypes = typeof(WebOptionsTests).Assembly.GetTypes();
        foreach (var (option, (value, read, expected, _, effect)) in Options)
        {
            var set = Read((option[2..], value));
            Assert.Equal(expected, read(set));
            Assert.NotEqual(read(defaults), read(set));
            var (type, method) = (effect[..effect.IndexOf('.')], effect[(effect.IndexOf('.') + 1)..]);
            Assert.True(testTypes.Single(t => t.Name == type).GetMethod(method) != null, $"{option}: no test {effect}");
        }
    }

    [Fact]
    public void BadValuesAreRefusedNamingTheOption()
    {
        foreach (var (option, (_, _, _, bad, _)) in Options.Where(o => o.Value.Bad != null))
        {
            var e = Assert.Throws<ArgumentException>(() => Read((option[2..], bad!)));
            Assert.Contains(option, e.Message);
        }
    }

    [Fact]
    public void TheStoreIsTheCheckoutsIgnoredDataFolderWhereverTheServerStarts()
    {
        var root = RepoRoot();
        var expected = Path.Combine(root, "data", "web");
        Assert.Equal(expected, WebOptions.DefaultData());
        Assert.Equal(expected, WebOptions.DefaultData(Path.Combine(root, "src", "Web")));
        Assert.Equal(expected, Read().Data);
        Assert.Equal(Path.Combine(root, "experiments"), Read().Experiments);
        // git ignores the checkout's data/ (all but its README), so the store never shows as untracked.
        Assert.Contains("/data/*", File.ReadAllLines(Path.Combine(root, ".gitignore")));
        // AVERLAB_WEB_DATA when --data is not given; --data first.
        Assert.Equal("/tmp/env-store", Read((WebOptions.DataVariable, "/tmp/env-store")).Data);
        Assert.Equal("/tmp/arg-store", Read((WebOptions.DataVariable, "/tmp/env-store"), ("data", "/tmp/arg-store")).Data);
        // Outside a checkout: the user's local application data.
        var outside = Directory.CreateTempSubdirectory("averlab-outside-").FullName;
        try
        {
            Assert.EndsWith(Path.Combine("averlab", "web"), WebOptions.DefaultData(outside));
            Assert.DoesNotContain(outside, WebOptions.DefaultData(outside));
        }
        finally
        {
            Directory.Delete(outside);
        }
    }
}
