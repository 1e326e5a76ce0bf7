using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AverLab.Inference;
using AverLab.Inference.Tests;
using AverLab.Web;

namespace Web.Tests;

/// <summary>The JSON API in the test host: uploads, results in src/Predict's schema equal to the analyzer's own,
/// bad input (415, 413, a file that does not decode), unknown ids, deletion, runs, restarts.</summary>
[Collection("web")]
public sealed class ApiTests(WebFixture fx)
{
    private static readonly JsonElement Schema =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "result.schema.json"))).RootElement;

    private static async Task<string> Accepted(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        Assert.True(AnalysisStore.IsWellFormedId(id));
        Assert.Equal($"/api/analyses/{id}", response.Headers.Location?.ToString() ?? $"/api/analyses/{id}");
        return id;
    }

    [Fact]
    public async Task WavUploadGivesTheAnalyzersResultWithTopLevelEmotionInPredictsSchema()
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        var id = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "clip.wav")));
        var doc = await WebFixture.WaitFinished(client, id);
        Assert.Equal("done", doc.GetProperty("status").GetString());
        Assert.Empty(MiniJsonSchema.Validate(Schema, doc));
        Assert.Equal("clip.wav", doc.GetProperty("file").GetString());
        Assert.Equal("audio", doc.GetProperty("mode").GetString());

        // The same file through the analyzer directly, with the run the server chose by default (the only audio run).
        using var p = Predictor.Load(fx.AudioRun);
        using var analyzer = new Analyzer(p, null);
        var expected = analyzer.Analyze(fx.Wav, new AnalysisOptions());
        Assert.Equal(expected.Overall!.Emotion, doc.GetProperty("emotion").GetString());
        Assert.Equal(expected.Overall.Emotion, doc.GetProperty("overall").GetProperty("emotion").GetString());
        foreach (var (c, v) in expected.Overall.Probabilities)
            Assert.Equal(v, doc.GetProperty("overall").GetProperty("probabilities").GetProperty(c).GetDouble(), 6);
        Assert.Equal(expected.Timeline.Count, doc.GetProperty("timeline").GetArrayLength());
        Assert.Equal(8, doc.GetProperty("overall").GetProperty("probabilities").EnumerateObject().Count());
        Assert.Equal(1.0, doc.GetProperty("overall").GetProperty("probabilities").EnumerateObject().Sum(x => x.Value.GetDouble()), 4);
        Assert.Equal([Path.GetRelativePath(fx.Experiments, fx.AudioRun)], doc.GetProperty("models").EnumerateArray().Select(m => m.GetString()));

        // The download is the result alone (no id/status), in the same schema; A-V-E-R's route answers the same.
        var download = await client.GetFromJsonAsync<JsonElement>($"/analyses/{id}/result.json");
        Assert.Empty(MiniJsonSchema.Validate(Schema, download));
        Assert.False(download.TryGetProperty("status", out _));
        var alias = await client.GetFromJsonAsync<JsonElement>($"/analysis/{id}");
        Assert.Equal(doc.GetProperty("emotion").GetString(), alias.GetProperty("emotion").GetString());
        var list = await client.GetFromJsonAsync<JsonElement>("/api/analyses");
        Assert.Equal(id, list.EnumerateArray().Single().GetProperty("id").GetString());

        // Both charts are PNGs.
        foreach (var chart in new[] { "average", "timeline" })
        {
            var png = await client.GetByteArrayAsync($"/analyses/{id}/charts/{chart}.png");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }
    }

    [Fact]
    public async Task ImageWithAFaceGivesBoxesAndGradCam()
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        // Named .bin: the type comes from the content (JPEG).
        var id = await Accepted(await client.PostAsync("/upload", WebFixture.Upload(File.ReadAllBytes(WebFixture.Messi), "photo.bin")));
        var doc = await WebFixture.WaitFinished(client, id);
        Assert.Equal("done", doc.GetProperty("status").GetString());
        Assert.Equal("image", doc.GetProperty("mode").GetString());
        Assert.Empty(MiniJsonSchema.Validate(Schema, doc));
        var faces = doc.GetProperty("faces").EnumerateArray().ToList();
        Assert.NotEmpty(faces);
        for (var i = 0; i < faces.Count; i++)
        {
            Assert.True(faces[i].GetProperty("width").GetInt32() > 10);
            Assert.Equal($"/analyses/{id}/gradcam/{i}", faces[i].GetProperty("heatmap").GetString());
            var png = await client.GetByteArrayAsync(faces[i].GetProperty("heatmap").GetString());
            Assert.Equal(0x89, png[0]);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/analyses/{id}/gradcam/{faces.Count}")).StatusCode);
        var media = await client.GetAsync($"/analyses/{id}/media");
        Assert.Equal("image/jpeg", media.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task VideoWithSoundAndAFaceIsAnalysedCombinedByDefault()
    {
        var video = fx.Video(2);
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        var id = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(video), "clip.mov")));
        var doc = await WebFixture.WaitFinished(client, id);
        Assert.True(doc.GetProperty("status").GetString() == "done", doc.ToString());
        Assert.Empty(MiniJsonSchema.Validate(Schema, doc));
        // The newest audio run and the newest face run together, fused per audio window.
        Assert.Equal("combined", doc.GetProperty("mode").GetString());
        Assert.Equal(2, doc.GetProperty("models").GetArrayLength());
        Assert.True(doc.GetProperty("audio_timeline").GetArrayLength() >= 1);
        Assert.True(doc.GetProperty("face_timeline").GetArrayLength() >= 4, doc.GetProperty("face_timeline").ToString());
        Assert.Equal(doc.GetProperty("audio_timeline").GetArrayLength(), doc.GetProperty("timeline").GetArrayLength());
        Assert.Equal(0x89, (await client.GetByteArrayAsync($"/analyses/{id}/charts/timeline.png"))[0]);

        // Each face-timeline entry names the face it was made from, inside the 640-px frame; the kept frames are JPEGs.
        var faces = doc.GetProperty("face_timeline").EnumerateArray().ToList();
        foreach (var e in faces)
        {
            var box = e.GetProperty("box");
            Assert.Equal(640, box.GetProperty("frame_width").GetInt32());
            Assert.InRange(box.GetProperty("x").GetInt32(), 0, 640 - 1);
            Assert.InRange(box.GetProperty("x").GetInt32() + box.GetProperty("width").GetInt32(), 20, 640);
            Assert.InRange(box.GetProperty("y").GetInt32() + box.GetProperty("height").GetInt32(), 20, box.GetProperty("frame_height").GetInt32());
        }
        var frames = faces.Select(e => e.TryGetProperty("frame", out var f) ? f.GetString() : null).OfType<string>().ToList();
        Assert.Equal(faces.Count, frames.Count); // a short video keeps every analysed frame
        Assert.Equal(Enumerable.Range(0, frames.Count).Select(n => $"/analyses/{id}/frames/{n}.jpg"), frames);
        Assert.Equal([0xFF, 0xD8], (await client.GetByteArrayAsync(frames[0]))[..2]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/analyses/{id}/frames/{frames.Count}.jpg")).StatusCode);
        // The page: a box per kept frame, the player, the audio and face timelines side by side with their charts.
        var page = await client.GetStringAsync($"/analyses/{id}");
        Assert.Equal(frames.Count, System.Text.RegularExpressions.Regex.Matches(page, "<figure class=\"frame faces\"><img src=\"[^\"]+\"[^>]*><div class=\"face-box\" data-x=").Count);
        Assert.Contains("id=\"player\"", page);
        Assert.Contains("<section class=\"side\" id=\"audio-timeline\">", page);
        Assert.Contains("<section class=\"side\" id=\"face-timeline\">", page);
        foreach (var chart in new[] { "audio-timeline", "face-timeline" })
            Assert.Equal(0x89, (await client.GetByteArrayAsync($"/analyses/{id}/charts/{chart}.png"))[0]);
        var media = await client.GetAsync($"/analyses/{id}/media");
        Assert.Equal("video/mp4", media.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", media.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task BadInputIsRefusedWithTheRightStatusAndMessage()
    {
        using var factory = fx.Factory(fx.NewDataDir(), ("max-upload-mb", "0.05"));
        using var client = factory.CreateClient();
        // Text named .wav: 415 by content.
        var text = await client.PostAsync("/api/analyses", WebFixture.Upload("hello, not audio"u8.ToArray(), "speech.wav"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Contains("speech.wav: not an audio, image or video file", (await text.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // Over the limit (0.05 MB = 52428 bytes): 413 naming the limit.
        var big = new byte[60_000];
        File.ReadAllBytes(fx.Wav).AsSpan(0, 44).CopyTo(big);
        var large = await client.PostAsync("/api/analyses", WebFixture.Upload(big, "big.wav"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("0.05 MB", (await large.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // No file field, a bad mode, a mode that does not fit, an unknown run.
        var wav = File.ReadAllBytes(fx.Wav);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/analyses", new MultipartFormDataContent { { new StringContent("x"), "mode" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/analyses", WebFixture.Upload(wav, "a.wav", "sideways"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/analyses", WebFixture.Upload(wav, "a.wav", "image"))).StatusCode);
        var unknown = await client.PostAsync("/api/analyses", WebFixture.Upload(wav, "a.wav", null, "0123456789ab"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown run id '0123456789ab'", await unknown.Content.ReadAsStringAsync());
        // A face run for a wav does not fit.
        var faceId = Path.GetRelativePath(fx.Experiments, fx.FaceRun);
        var runs = await client.GetFromJsonAsync<JsonElement>("/api/runs");
        var face = runs.EnumerateArray().Single(r => r.GetProperty("name").GetString() == faceId.Replace('\\', '/')).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/analyses", WebFixture.Upload(wav, "a.wav", null, face))).StatusCode);
        // Nothing was stored by any refused upload.
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/analyses")).GetArrayLength());
    }

    [Fact]
    public async Task AFileThatDoesNotDecodeFailsItsAnalysisAndTheServerGoesOn()
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        // A WAV header announcing 24-bit float samples, then noise: passes the sniffer, fails in the decoder.
        var bad = new byte[4000];
        File.ReadAllBytes(fx.Wav).AsSpan(0, 44).CopyTo(bad);
        bad[20] = 0x55; bad[21] = 0x55; // format tag 0x5555: no such codec
        new Random(3).NextBytes(bad.AsSpan(44));
        var id = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(bad, "broken.wav")));
        var doc = await WebFixture.WaitFinished(client, id);
        Assert.Equal("failed", doc.GetProperty("status").GetString());
        var error = doc.GetProperty("error").GetString()!;
        Assert.StartsWith("broken.wav", error);
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), error); // the server's path is not shown
        var page = await client.GetStringAsync($"/analyses/{id}");
        Assert.Contains("id=\"analysis-error\"", page);
        // Still serving: a good file after it is analysed.
        var ok = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "ok.wav")));
        Assert.Equal("done", (await WebFixture.WaitFinished(client, ok)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/api/analyses/0123456789abcdef0123456789abcdef")]
    [InlineData("/api/analyses/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/analysis/nope")]
    [InlineData("/analyses/0123456789abcdef0123456789abcdef")]
    [InlineData("/analyses/0123456789abcdef0123456789abcdef/result.json")]
    [InlineData("/analyses/0123456789abcdef0123456789abcdef/charts/average.png")]
    [InlineData("/analyses/0123456789abcdef0123456789abcdef/media")]
    [InlineData("/experiments/runs/000000000000/report")]
    [InlineData("/experiments/sweeps/000000000000")]
    [InlineData("/experiments/cv/..%2F..")]
    [InlineData("/experiments/compare/etc.png?runs=000000000000")]
    public async Task UnknownIdsAre404(string url)
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task DeleteRemovesTheUploadItsResultsAndItsRow()
    {
        var data = fx.NewDataDir();
        using var factory = fx.Factory(data);
        using var client = factory.CreateClient();
        var keep = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "keep.wav")));
        var id = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Video(2)), "x.mp4")));
        await WebFixture.WaitFinished(client, keep);
        await WebFixture.WaitFinished(client, id);
        Assert.True(File.Exists(Path.Combine(data, "uploads", id + ".mp4")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data, "analyses", id), "*.jpg")); // the kept frames
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/analyses/{id}")).StatusCode);
        Assert.False(File.Exists(Path.Combine(data, "uploads", id + ".mp4")));
        Assert.False(Directory.Exists(Path.Combine(data, "analyses", id)));
        Assert.Null(new AnalysisStore(data).Get(id));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/analyses/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/analyses/{id}/frames/0.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/analyses/{id}")).StatusCode);
        // The other analysis is untouched.
        Assert.Equal([keep], (await client.GetFromJsonAsync<JsonElement>("/api/analyses")).EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal([keep + ".wav"], Directory.GetFiles(Path.Combine(data, "uploads")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task RunsAreListedWithWhatTheyAnalyse()
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        var runs = (await client.GetFromJsonAsync<JsonElement>("/api/runs")).EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        var audio = runs.Single(r => r.GetProperty("model").GetString() == "audio_cnn_transformer");
        var face = runs.Single(r => r.GetProperty("model").GetString() == "face_resnet");
        Assert.Equal("audio", audio.GetProperty("analyses").GetString());
        Assert.Equal("faces", face.GetProperty("analyses").GetString());
        Assert.Matches("^[0-9a-f]{12}$", audio.GetProperty("id").GetString());
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(fx.AudioRun, "metrics.json"))).RootElement.GetProperty("test");
        Assert.Equal(metrics.GetProperty("accuracy").GetDouble(), audio.GetProperty("accuracy").GetDouble());
        Assert.Equal(metrics.GetProperty("accuracy_ci95")[0].GetDouble(), audio.GetProperty("accuracy_ci95")[0].GetDouble());
        Assert.Equal("ravdess", audio.GetProperty("corpus").GetString()!.ToLowerInvariant());
    }

    [Fact]
    public async Task AnalysesSurviveARestartAndUnfinishedOnesRunAgain()
    {
        var data = fx.NewDataDir();
        string done;
        using (var factory = fx.Factory(data))
        using (var client = factory.CreateClient())
        {
            done = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "before.wav")));
            await WebFixture.WaitFinished(client, done);
        }
        // An analysis a killed server left running: stored, its upload on disk, never finished.
        var store = new AnalysisStore(data);
        var runId = new RunCatalog(fx.Experiments).Scan().Runs.Single(r => r.Roles!.Audio).Id;
        var left = new AnalysisRecord
        {
            Id = AnalysisStore.NewId(), CreatedUtc = DateTime.UtcNow, Status = AnalysisStatus.Queued, FileName = "left.wav", Kind = MediaKind.Audio,
            StoredName = "", Mode = "auto", Runs = [runId],
        };
        left = left with { StoredName = left.Id + ".wav" };
        File.Copy(fx.Wav, store.UploadPath(left));
        store.Insert(left);
        Assert.True(store.TryStart(left.Id));

        using (var factory = fx.Factory(data))
        using (var client = factory.CreateClient())
        {
            var before = await client.GetFromJsonAsync<JsonElement>($"/api/analyses/{done}");
            Assert.Equal("done", before.GetProperty("status").GetString());
            Assert.Equal("before.wav", before.GetProperty("file").GetString());
            var again = await WebFixture.WaitFinished(client, left.Id);
            Assert.Equal("done", again.GetProperty("status").GetString());
            Assert.Equal("left.wav", again.GetProperty("file").GetString());
        }
    }

    [Fact]
    public async Task WithoutAFittingRunTheUploadIsRefusedWith422()
    {
        var empty = Path.Combine(fx.Root, "no-experiments");
        Directory.CreateDirectory(empty);
        using var factory = fx.Factory(fx.NewDataDir(), ("experiments", empty));
        using var client = factory.CreateClient();
        var r = await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "a.wav"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        Assert.Contains("no trained run", await r.Content.ReadAsStringAsync());
    }
}
