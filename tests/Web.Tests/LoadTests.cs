using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AverLab.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Web.Tests;

/// <summary>Many clients at once on a loopback socket, at the default settings: every upload is accepted (202) and
/// finishes, none is lost, and the run is loaded once for all of them. Counts only; bench/web-load.sh measures times
/// and memory.</summary>
[Collection("web")]
public sealed class LoadTests(WebFixture fx)
{
    private async Task Load(int clients, int uploadsEach)
    {
        var data = fx.NewDataDir();
        var (app, url) = await fx.StartServer(data);
        await using var _ = app;
        var wav = File.ReadAllBytes(fx.Wav);
        var codes = new List<HttpStatusCode>();
        var accepted = new List<string>();
        var gate = new object();
        // All clients start together, each with its own connection.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
            await start.Task;
            for (var i = 0; i < uploadsEach; i++)
            {
                var r = await client.PostAsync("/api/analyses", WebFixture.Upload(wav, $"c{c}-{i}.wav"));
                var body = await r.Content.ReadAsStringAsync();
                lock (gate) codes.Add(r.StatusCode);
                Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"upload {c}-{i}: {(int)r.StatusCode} {body}");
                lock (gate) accepted.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
            }
        })).ToList();
        start.SetResult();
        await Task.WhenAll(tasks);

        var total = clients * uploadsEach;
        Assert.Equal(total, codes.Count(c => c == HttpStatusCode.Accepted));
        Assert.Equal(total, accepted.Distinct().Count());
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        foreach (var id in accepted)
            Assert.Equal("done", (await WebFixture.WaitFinished(http, id)).GetProperty("status").GetString());
        // None lost: the server lists exactly the accepted analyses, all done, and holds one upload each.
        var listed = (await http.GetFromJsonAsync<JsonElement>("/api/analyses")).EnumerateArray().ToList();
        Assert.Equal(accepted.Order(StringComparer.Ordinal), listed.Select(a => a.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(listed, a => Assert.Equal("done", a.GetProperty("status").GetString()));
        Assert.Equal(total, Directory.GetFiles(Path.Combine(data, "uploads")).Length);
        // One run served them all, loaded once.
        var cache = app.Services.GetRequiredService<PredictorCache>();
        Assert.Equal(1, cache.Loads);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public Task FiftyClientsWithOneUploadEachAreAllAcceptedAndAllFinish() => Load(50, 1);

    [Fact]
    public Task TenClientsWithFiveUploadsEachAreAllAcceptedAndAllFinish() => Load(10, 5);
}
