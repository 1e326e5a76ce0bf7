using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Web.Tests;

/// <summary>50 uploads from 10 concurrent clients on loopback against one worker and a small queue: each upload is
/// accepted and then finishes, or is refused with 429/503; none is lost; the process's memory stays bounded.</summary>
[Collection("web")]
public sealed class LoadTests(WebFixture fx, ITestOutputHelper output)
{
    [Fact]
    public async Task FiftyUploadsFromTenClientsAllFinishOrAreRefused()
    {
        var data = fx.NewDataDir();
        var (app, url) = await fx.StartServer(data, "--workers", "1", "--queue", "8", "--concurrent-uploads", "4");
        await using var _ = app;
        var wav = File.ReadAllBytes(fx.Wav);
        GC.Collect();
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var before = self.WorkingSet64;
        long peak = before;
        var codes = new List<HttpStatusCode>();
        var accepted = new List<string>();
        var gate = new object();
        using var sampler = new Timer(_ => { self.Refresh(); Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), self.WorkingSet64)); }, null, 0, 50);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            for (var i = 0; i < 5; i++)
            {
                var r = await client.PostAsync("/api/analyses", WebFixture.Upload(wav, $"c{c}-{i}.wav"));
                lock (gate) codes.Add(r.StatusCode);
                if (r.StatusCode == HttpStatusCode.Accepted)
                {
                    var id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                    lock (gate) accepted.Add(id);
                }
                else Assert.True(r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable, $"upload {c}-{i}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            }
        })));
        var uploadSeconds = clock.Elapsed.TotalSeconds;
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        foreach (var id in accepted)
            Assert.Equal("done", (await WebFixture.WaitFinished(http, id)).GetProperty("status").GetString());
        var totalSeconds = clock.Elapsed.TotalSeconds;
        self.Refresh();
        var after = self.WorkingSet64;

        Assert.Equal(50, codes.Count);
        Assert.Equal(50, accepted.Count + codes.Count(c => c is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable));
        Assert.NotEmpty(accepted);
        // None lost: the server lists exactly the accepted analyses, all done, and holds one upload each.
        var listed = (await http.GetFromJsonAsync<JsonElement>("/api/analyses")).EnumerateArray().ToList();
        Assert.Equal(accepted.Order(), listed.Select(a => a.GetProperty("id").GetString()!).Order());
        Assert.All(listed, a => Assert.Equal("done", a.GetProperty("status").GetString()));
        Assert.Equal(accepted.Count, Directory.GetFiles(Path.Combine(data, "uploads")).Length);
        // Bounded memory: the whole test process (server, client, models) grows by less than 1 GiB.
        var growth = Interlocked.Read(ref peak) - before;
        var figures = $"load: 50 uploads from 10 clients: {accepted.Count} accepted, {codes.Count(c => c == HttpStatusCode.TooManyRequests)} refused 429, " +
                      $"{codes.Count(c => c == HttpStatusCode.ServiceUnavailable)} refused 503; uploads {uploadSeconds:F1} s, all finished {totalSeconds:F1} s; " +
                      $"working set {before / 1048576} MiB before, peak {Interlocked.Read(ref peak) / 1048576} MiB, after {after / 1048576} MiB";
        output.WriteLine(figures);
        Console.WriteLine(figures);
        Assert.True(growth < 1024L * 1024 * 1024, figures);
    }
}
