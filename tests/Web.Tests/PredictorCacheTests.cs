using System.Net;
using System.Text.Json;
using AverLab.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Web.Tests;

/// <summary>Loaded models stay loaded: one predictor per run shared by the analyses, loaded again only when the run's
/// files change, at most --loaded-models kept (least recently used out first, never one an analysis holds).</summary>
[Collection("web")]
public sealed class PredictorCacheTests(WebFixture fx)
{
    /// <summary>A copy of the audio run in an experiments folder of its own, so its files can be touched.</summary>
    private string CopyOfAudioRun(out string experiments)
    {
        experiments = Directory.CreateTempSubdirectory("averlab-web-cache-").FullName;
        var target = Path.Combine(experiments, "audio");
        foreach (var file in Directory.GetFiles(fx.AudioRun, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(fx.AudioRun, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    [Fact]
    public async Task AnalysesShareTheLoadedRunUntilItsFilesChange()
    {
        var run = CopyOfAudioRun(out var experiments);
        try
        {
            using var factory = fx.Factory(fx.NewDataDir(), ("experiments", experiments));
            using var client = factory.CreateClient();
            var cache = factory.Services.GetRequiredService<PredictorCache>();
            var wav = File.ReadAllBytes(fx.Wav);
            async Task<JsonElement> Analyse(string name)
            {
                var r = await client.PostAsync("/api/analyses", WebFixture.Upload(wav, name));
                Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
                var id = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
                var doc = await WebFixture.WaitFinished(client, id);
                Assert.Equal("done", doc.GetProperty("status").GetString());
                return doc;
            }
            var first = await Analyse("a.wav");
            await Analyse("b.wav");
            await Analyse("c.wav");
            Assert.Equal(1, cache.Loads);
            Assert.Equal(1, cache.Count);

            // model.json rewritten (same content, newer file): the next analysis loads the run again, once.
            File.WriteAllText(Path.Combine(run, "model.json"), File.ReadAllText(Path.Combine(run, "model.json")));
            File.SetLastWriteTimeUtc(Path.Combine(run, "model.json"), DateTime.UtcNow.AddMinutes(1));
            var again = await Analyse("d.wav");
            await Analyse("e.wav");
            Assert.Equal(2, cache.Loads);
            Assert.Equal(1, cache.Count);
            Assert.Equal(first.GetProperty("emotion").GetString(), again.GetProperty("emotion").GetString());
        }
        finally
        {
            Directory.Delete(experiments, recursive: true);
        }
    }

    [Fact]
    public void BeyondTheLimitTheLeastRecentlyUsedIdleRunIsUnloaded()
    {
        using var cache = new PredictorCache(new WebOptions { LoadedModels = 1 });
        using (var a = cache.Acquire(fx.AudioRun))
        using (var again = cache.Acquire(fx.AudioRun))
        {
            Assert.Same(a.Predictor, again.Predictor); // shared, loaded once
            // Both held: the limit waits for one to be released.
            using var f = cache.Acquire(fx.FaceRun);
            Assert.Equal(2, cache.Count);
            Assert.Equal(2, cache.Loads);
        }
        // The face run was released first, while the audio run was still held: it was the idle one, so it went.
        Assert.Equal(1, cache.Count);
        using (var a = cache.Acquire(fx.AudioRun)) Assert.True(a.Predictor.TakesAudio);
        Assert.Equal(2, cache.Loads);
        // Now the face run again: loaded, and the audio run (idle, least recently used) unloaded.
        using (var f = cache.Acquire(fx.FaceRun)) Assert.True(f.Predictor.TakesFaces);
        Assert.Equal(3, cache.Loads);
        Assert.Equal(1, cache.Count);
        using (var f = cache.Acquire(fx.FaceRun)) Assert.True(f.Predictor.TakesFaces);
        Assert.Equal(3, cache.Loads);
        using (var a = cache.Acquire(fx.AudioRun)) Assert.True(a.Predictor.TakesAudio);
        Assert.Equal(4, cache.Loads);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void AnAnalysisHoldingOldWeightsKeepsThemWhenTheRunIsReloaded()
    {
        var run = CopyOfAudioRun(out var experiments);
        try
        {
            using var cache = new PredictorCache(new WebOptions { LoadedModels = 4 });
            using var old = cache.Acquire(run);
            File.SetLastWriteTimeUtc(Path.Combine(run, "model.json"), DateTime.UtcNow.AddMinutes(1));
            using var fresh = cache.Acquire(run);
            Assert.NotSame(old.Predictor, fresh.Predictor);
            Assert.Equal(2, cache.Loads);
            // The old copy still predicts (not disposed under its holder), and the same as the new one.
            using var withOld = new AverLab.Inference.Analyzer(old.Predictor, null);
            using var withFresh = new AverLab.Inference.Analyzer(fresh.Predictor, null);
            var options = new AverLab.Inference.AnalysisOptions();
            Assert.Equal(withFresh.Analyze(fx.Wav, options).Overall!.Probabilities, withOld.Analyze(fx.Wav, options).Overall!.Probabilities);
        }
        finally
        {
            Directory.Delete(experiments, recursive: true);
        }
    }
}
