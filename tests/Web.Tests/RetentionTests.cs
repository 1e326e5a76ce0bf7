using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AverLab.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Web.Tests;

/// <summary>The store stays bounded: --keep-days deletes finished analyses older than that, --max-stored-mb the oldest
/// finished ones while uploads and outputs exceed it; waiting ones are kept; half-received uploads go at start.</summary>
[Collection("web")]
public sealed class RetentionTests(WebFixture fx)
{
    /// <summary>A finished analysis of the fixture's wav, accepted <paramref name="daysAgo"/> days ago, stored directly.</summary>
    private AnalysisRecord Stored(AnalysisStore store, double daysAgo, string status = AnalysisStatus.Done)
    {
        var id = AnalysisStore.NewId();
        var r = new AnalysisRecord
        {
            Id = id, CreatedUtc = DateTime.UtcNow.AddDays(-daysAgo), Status = AnalysisStatus.Queued, FileName = $"{daysAgo}.wav",
            Kind = MediaKind.Audio, StoredName = id + ".wav", Mode = "audio", Runs = [],
        };
        File.Copy(fx.Wav, store.UploadPath(r));
        Directory.CreateDirectory(store.OutputDir(id));
        File.WriteAllBytes(Path.Combine(store.OutputDir(id), $"{id}.explanation0.png"), new byte[1000]);
        store.Insert(r);
        if (status != AnalysisStatus.Queued)
        {
            Assert.True(store.TryStart(id));
            if (status != AnalysisStatus.Running) store.Finish(id, status == AnalysisStatus.Done ? "{}" : null, status == AnalysisStatus.Failed ? "x" : null);
        }
        return r;
    }

    [Fact]
    public async Task FinishedAnalysesOlderThanKeepDaysAreDeletedWithTheirFiles()
    {
        var data = fx.NewDataDir();
        var store = new AnalysisStore(data);
        var old = Stored(store, 40);
        var oldFailed = Stored(store, 31, AnalysisStatus.Failed);
        var recent = Stored(store, 2);
        File.WriteAllText(Path.Combine(store.UploadsDir, AnalysisStore.NewId() + ".part"), "half an upload");

        using var factory = fx.Factory(data, ("keep-days", "30"));
        using var client = factory.CreateClient();
        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/analyses")).EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList();
        Assert.Equal([recent.Id], listed);
        Assert.Equal([recent.StoredName], Directory.GetFiles(store.UploadsDir).Select(Path.GetFileName));
        Assert.False(Directory.Exists(store.OutputDir(old.Id)));
        Assert.False(Directory.Exists(store.OutputDir(oldFailed.Id)));
        Assert.True(Directory.Exists(store.OutputDir(recent.Id)));

        // Run again later (as the hourly pass does): 3 days on, a 1-day limit takes the recent one too.
        var retention = new StoreRetention(store, new WebOptions { KeepDays = 1, MaxStoredBytes = 0 }, factory.Services.GetRequiredService<ILogger<StoreRetention>>());
        Assert.Equal(1, retention.Apply(DateTime.UtcNow));
        Assert.Empty(store.Oldest());
    }

    [Fact]
    public void KeepDaysZeroKeepsEverythingAndWaitingAnalysesAreNeverDeleted()
    {
        var store = new AnalysisStore(fx.NewDataDir());
        var ancient = Stored(store, 4000);
        var waiting = Stored(store, 90, AnalysisStatus.Queued);
        var running = Stored(store, 90, AnalysisStatus.Running);
        var log = Microsoft.Extensions.Logging.Abstractions.NullLogger<StoreRetention>.Instance;
        Assert.Equal(0, new StoreRetention(store, new WebOptions { KeepDays = 0, MaxStoredBytes = 0 }, log).Apply(DateTime.UtcNow));
        Assert.Equal(3, store.Oldest().Count);
        // A 1-byte store: every finished analysis goes, the waiting and running ones stay.
        Assert.Equal(1, new StoreRetention(store, new WebOptions { KeepDays = 30, MaxStoredBytes = 1 }, log).Apply(DateTime.UtcNow));
        Assert.Equal(new[] { waiting.Id, running.Id }.Order(StringComparer.Ordinal), store.Oldest().Select(a => a.Id).Order(StringComparer.Ordinal));
        Assert.Null(store.Get(ancient.Id));
    }

    [Fact]
    public async Task BeyondMaxStoredMbTheOldestAnalysesAreDeleted()
    {
        var wav = File.ReadAllBytes(fx.Wav);
        // What one analysis of the wav holds (its upload and its explanation images), measured on a store without limit.
        long each;
        using (var measure = fx.Factory(fx.NewDataDir(), ("max-stored-mb", "0")))
        using (var c = measure.CreateClient())
        {
            var r = await c.PostAsync("/api/analyses", WebFixture.Upload(wav, "measure.wav"));
            var id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await WebFixture.WaitFinished(c, id);
            var s = measure.Services.GetRequiredService<AnalysisStore>();
            each = s.BytesOf(id, s.Get(id)!.StoredName);
        }
        Assert.True(each > wav.Length);
        // Room for three analyses, not four.
        var limitMb = 3.5 * each / (1024.0 * 1024);
        var data = fx.NewDataDir();
        using var factory = fx.Factory(data, ("max-upload-mb", (wav.Length * 1.2 / (1024.0 * 1024)).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)),
            ("max-stored-mb", limitMb.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)));
        using var client = factory.CreateClient();
        var store = factory.Services.GetRequiredService<AnalysisStore>();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var r = await client.PostAsync("/api/analyses", WebFixture.Upload(wav, $"{i}.wav"));
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            var id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            ids.Add(id);
            Assert.Equal("done", (await WebFixture.WaitFinished(client, id)).GetProperty("status").GetString());
            var kept = store.Oldest();
            Assert.True(kept.Sum(a => store.BytesOf(a.Id, a.StoredName)) <= limitMb * 1024 * 1024, $"after upload {i}: {kept.Count} kept");
        }
        // The newest ones are kept, the oldest deleted with their uploads.
        var left = store.Oldest().Select(a => a.Id).ToList();
        Assert.Equal(3, left.Count);
        Assert.Equal(ids.TakeLast(left.Count), left);
        Assert.Equal(left.Count, Directory.GetFiles(store.UploadsDir).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/analyses/{ids[0]}")).StatusCode);
    }

    [Fact]
    public void AStoreSmallerThanOneUploadIsRefusedNamingBothOptions()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["max-stored-mb"] = "10", ["max-upload-mb"] = "50" }).Build();
        var e = Assert.Throws<ArgumentException>(() => WebOptions.From(config));
        Assert.Contains("--max-stored-mb 10", e.Message);
        Assert.Contains("--max-upload-mb 50", e.Message);
    }
}
