using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AverLab.Tests.Support;
using AverLab.Web;

namespace Web.Tests;

/// <summary>Accept, then queue: a waiting analysis knows its place and a running one its progress; beyond the queue's
/// capacity or the uploads received at once the refusal says when to come back (Retry-After); a deleted waiting
/// analysis leaves the queue.</summary>
[Collection("web")]
public sealed class QueueTests(WebFixture fx)
{
    private static async Task<string> Id(HttpResponseMessage r)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"{(int)r.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> Get(HttpClient client, string id) => await client.GetFromJsonAsync<JsonElement>($"/api/analyses/{id}");

    /// <summary>Polls until <paramref name="ready"/> holds for the analysis (at most 3 minutes).</summary>
    private static async Task<JsonElement> WaitUntil(HttpClient client, string id, Func<JsonElement, bool> ready)
    {
        for (var i = 0; i < 1800; i++)
        {
            var doc = await Get(client, id);
            if (ready(doc)) return doc;
            Assert.NotEqual("failed", doc.GetProperty("status").GetString());
            await Task.Delay(100);
        }
        throw new TimeoutException($"analysis {id} never reached the state waited for");
    }

    [Fact]
    [Trait("Category", Category.Slow)] // analyses a 10-20 s video to keep a worker busy
    public async Task WaitingAnalysesKnowTheirPlaceAndBeyondTheQueueTheRefusalSaysWhenToRetry()
    {
        using var factory = fx.Factory(fx.NewDataDir(), ("queue", "1"), ("workers", "1"));
        using var client = factory.CreateClient();
        // A 20-s video keeps the only worker busy (80 frames to find faces in) while the rest happens.
        var busy = await Id(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Video(20)), "long.mp4", "video")));
        var running = await WaitUntil(client, busy, d => d.GetProperty("status").GetString() == "running" && d.GetProperty("progress").GetDouble() > 0);
        Assert.InRange(running.GetProperty("progress").GetDouble(), 0.001, 1);
        Assert.Equal(JsonValueKind.Null, running.GetProperty("queue_position").ValueKind);

        var wav = File.ReadAllBytes(fx.Wav);
        var accepted = await client.PostAsync("/api/analyses", WebFixture.Upload(wav, "second.wav"));
        var second = await Id(accepted);
        Assert.Equal(1, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queue_position").GetInt32());
        var waiting = await Get(client, second);
        Assert.Equal("queued", waiting.GetProperty("status").GetString());
        Assert.Equal(1, waiting.GetProperty("queue_position").GetInt32());
        Assert.Equal(1, waiting.GetProperty("queue_length").GetInt32());
        Assert.True(waiting.GetProperty("estimated_start_seconds").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("progress").ValueKind);
        Assert.Contains("position 1 of 1", await client.GetStringAsync($"/analyses/{second}"));

        // The queue holds one: the next upload is refused, saying when to come back, and nothing of it is kept.
        var refused = await client.PostAsync("/api/analyses", WebFixture.Upload(wav, "third.wav"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var retry = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retry);
        Assert.InRange(retry.Value.TotalSeconds, 1, 3600);
        Assert.Contains("--queue", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/analyses")).GetArrayLength());

        // Deleting the waiting analysis makes room at once.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/analyses/{second}")).StatusCode);
        var fourth = await Id(await client.PostAsync("/api/analyses", WebFixture.Upload(wav, "fourth.wav")));
        Assert.Equal(1, (await Get(client, fourth)).GetProperty("queue_position").GetInt32());

        Assert.Equal("done", (await WebFixture.WaitFinished(client, busy)).GetProperty("status").GetString());
        Assert.Equal("done", (await WebFixture.WaitFinished(client, fourth)).GetProperty("status").GetString());
        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/analyses")).EnumerateArray().Select(a => a.GetProperty("id").GetString()!);
        Assert.Equal(new[] { busy, fourth }.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    [Trait("Category", Category.Slow)] // analyses a 10-20 s video to keep a worker busy
    public async Task TwoWorkersRunTwoAnalysesAtOnce()
    {
        using var factory = fx.Factory(fx.NewDataDir(), ("workers", "2"));
        using var client = factory.CreateClient();
        var video = File.ReadAllBytes(fx.Video(10));
        var a = await Id(await client.PostAsync("/api/analyses", WebFixture.Upload(video, "a.mp4", "video")));
        var b = await Id(await client.PostAsync("/api/analyses", WebFixture.Upload(video, "b.mp4", "video")));
        var both = false;
        for (var i = 0; i < 1800 && !both; i++)
        {
            var states = new[] { (await Get(client, a)).GetProperty("status").GetString(), (await Get(client, b)).GetProperty("status").GetString() };
            Assert.DoesNotContain("done", states); // each takes seconds: seen together long before either ends
            both = states.All(x => x == "running");
            if (!both) await Task.Delay(50);
        }
        Assert.True(both);
        Assert.Equal("done", (await WebFixture.WaitFinished(client, a)).GetProperty("status").GetString());
        Assert.Equal("done", (await WebFixture.WaitFinished(client, b)).GetProperty("status").GetString());
    }

    [Fact]
    [Trait("Category", Category.Slow)] // analyses a 10-20 s video to keep a worker busy
    public async Task AnAnalysisStoppedWithTheServerIsNotFailedAndRunsAgainAtTheNextStart()
    {
        var data = fx.NewDataDir();
        string id;
        using (var factory = fx.Factory(data))
        using (var client = factory.CreateClient())
        {
            id = await Id(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Video(10)), "long.mp4", "video")));
            await WaitUntil(client, id, d => d.GetProperty("status").GetString() == "running" && d.GetProperty("progress").GetDouble() > 0);
        }
        // Stopped mid-analysis: still marked running (not failed, no result), its upload kept.
        var left = new AnalysisStore(data).Get(id)!;
        Assert.Equal(AnalysisStatus.Running, left.Status);
        Assert.Null(left.Error);
        Assert.True(File.Exists(new AnalysisStore(data).UploadPath(left)));
        using (var factory = fx.Factory(data))
        using (var client = factory.CreateClient())
            Assert.Equal("done", (await WebFixture.WaitFinished(client, id)).GetProperty("status").GetString());
    }

    /// <summary>A request body that sends the multipart head and the file's first bytes, then waits to be let go.</summary>
    private sealed class HeldContent(byte[] wav, TaskCompletionSource release) : HttpContent
    {
        private const string Boundary = "held-boundary";

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var head = System.Text.Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"held.wav\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            await stream.WriteAsync(head);
            await stream.WriteAsync(wav.AsMemory(0, 1000));
            await stream.FlushAsync();
            Started.TrySetResult();
            await release.Task;
            await stream.WriteAsync(wav.AsMemory(1000));
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        public static HeldContent For(byte[] wav, TaskCompletionSource release)
        {
            var c = new HeldContent(wav, release);
            c.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={Boundary}");
            return c;
        }
    }

    [Fact]
    public async Task BeyondTheUploadsReceivedAtOnceTheRefusalSaysWhenToRetry()
    {
        var data = fx.NewDataDir();
        var (app, url) = await fx.StartServer(data, "--concurrent-uploads", "1");
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        var wav = File.ReadAllBytes(fx.Wav);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = HeldContent.For(wav, release);
        var first = client.PostAsync("/api/analyses", held);
        await held.Started.Task;
        // The held upload has the only place once the server streams it to disk (its .part file exists): from then on
        // another upload is refused. Waiting for that, not for a number of tries, keeps the test free of timing.
        var uploads = new AnalysisStore(data).UploadsDir;
        for (var i = 0; i < 600 && !(Directory.Exists(uploads) && Directory.EnumerateFiles(uploads, "*.part").Any()); i++)
            await Task.Delay(50);
        Assert.True(Directory.EnumerateFiles(uploads, "*.part").Any(), "the held upload never reached the server's disk");
        var refused = await client.PostAsync("/api/analyses", WebFixture.Upload(wav, "other.wav"));
        Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)refused.StatusCode}: {await refused.Content.ReadAsStringAsync()}");
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        Assert.Contains("--concurrent-uploads", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        release.SetResult();
        var heldId = await Id(await first);
        // Once it is in, the place is free again; everything accepted finishes.
        var after = await Id(await client.PostAsync("/api/analyses", WebFixture.Upload(wav, "after.wav")));
        foreach (var id in new[] { heldId, after })
            Assert.Equal("done", (await WebFixture.WaitFinished(client, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheQueueKeepsOrderRemovesAndEstimatesFromWhatAnalysesTook()
    {
        var queue = new AnalysisQueue(new WebOptions { QueueCapacity = 3, Workers = 2 });
        Assert.True(queue.TryEnqueue("a"));
        Assert.True(queue.TryEnqueue("b"));
        Assert.True(queue.TryEnqueue("c"));
        Assert.False(queue.TryEnqueue("d"));
        Assert.Equal([1, 2, 3], new[] { "a", "b", "c" }.Select(id => queue.PositionOf(id)!.Value));
        Assert.True(queue.Remove("b"));
        Assert.False(queue.Remove("b"));
        Assert.Equal(2, queue.PositionOf("c"));
        queue.Requeue("left"); // a previous server's analysis: queued whatever the capacity
        Assert.Equal(3, queue.Waiting);
        Assert.False(queue.TryEnqueue("d"));

        Assert.Equal("a", await queue.DequeueAsync(CancellationToken.None));
        Assert.Null(queue.PositionOf("a"));
        Assert.Equal(0, queue.ProgressOf("a"));
        queue.Report("a", 0.25);
        Assert.Equal(0.25, queue.ProgressOf("a"));
        Assert.Equal(1, queue.Running);
        Assert.Equal(AnalysisQueue.AssumedSeconds, queue.MeanSeconds);
        queue.Finished("a", TimeSpan.FromSeconds(30));
        Assert.Null(queue.ProgressOf("a"));
        Assert.Equal(30, queue.MeanSeconds);
        queue.Finished("x", null); // deleted while it waited: not timed
        Assert.Equal(30, queue.MeanSeconds);
        // Full (c, left, d waiting): room comes when one of 2 workers finishes one: 30 s.
        Assert.True(queue.TryEnqueue("d"));
        Assert.Equal(30, queue.RetryAfterSeconds());
        // c is next; the third waiting starts after two more, on 2 workers: one round of 30 s.
        Assert.Equal(0, queue.EstimatedStartSeconds(1));
        Assert.Equal(30, queue.EstimatedStartSeconds(3));
        // The removed b left its signal behind: dequeuing skips it and takes c.
        Assert.Equal("c", await queue.DequeueAsync(CancellationToken.None));
        Assert.Equal("left", await queue.DequeueAsync(CancellationToken.None));
        Assert.Equal("d", await queue.DequeueAsync(CancellationToken.None));
        Assert.Equal(0, queue.Waiting);
        // Nothing is left to take (b's signal is used up on an empty queue): a taker waits until cancelled.
        using var cancel = new CancellationTokenSource();
        var taker = queue.DequeueAsync(cancel.Token);
        Assert.False(taker.IsCompleted);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => taker);
    }
}
