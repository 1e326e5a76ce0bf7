using AverLab.Data.Corpora;
using AverLab.Data.Features;
using AverLab.Media;
using AverLab.Media.Audio;
using AverLab.Media.Features;

namespace AverLab.Data.Tests;

public sealed class FeatureCacheTests
{
    /// <summary>Counts its calls; features are a deterministic function of the WAV samples (frame RMS), so equal
    /// content gives equal features. Optionally cancels a token after N calls.</summary>
    private sealed class CountingExtractor(string config = "v1") : IFeatureExtractor
    {
        public int Calls;
        public CancellationTokenSource? CancelAfterCts;
        public int CancelAfter = int.MaxValue;
        public string Name => "rms";
        public string ConfigHash => config;

        public FeatureArray Extract(string path)
        {
            var n = Interlocked.Increment(ref Calls);
            if (n >= CancelAfter) CancelAfterCts?.Cancel();
            var y = WavReader.Read(path).ToMono();
            var frames = y.Length / 160;
            var data = new float[frames * 2];
            for (var f = 0; f < frames; f++)
            {
                double e = 0;
                for (var i = 0; i < 160; i++) e += y[f * 160 + i] * y[f * 160 + i];
                data[2 * f] = (float)Math.Sqrt(e / 160);
                data[2 * f + 1] = f;
            }
            return FeatureArray.Create(data, frames, 2);
        }
    }

    private static List<string> Wavs(TempDir d, int count) =>
        Enumerable.Range(0, count).Select(i => d.File($"wav/{i:000}.wav", TempDir.TinyWav(i))).ToList();

    [Fact]
    public void SecondFillRecomputesNothing()
    {
        using var d = new TempDir();
        var files = Wavs(d, 40);
        var ex = new CountingExtractor();
        var first = new FeatureCache(Path.Combine(d.Path, "cache"), ex).Fill(files, new FeatureCacheOptions { ShardSize = 8 });
        Assert.Equal((40, 0, 0, 40), (first.Computed, first.Reused, first.Failed.Count, ex.Calls));
        var reopened = new FeatureCache(Path.Combine(d.Path, "cache"), ex);
        Assert.Equal(40, reopened.Count);
        var second = reopened.Fill(files);
        Assert.Equal((0, 40, 40), (second.Computed, second.Reused, ex.Calls));
        Assert.True(Directory.GetFiles(reopened.Folder, "shard-*.safetensors").Length >= 5); // sharded
    }

    [Fact]
    public void CancelledFillResumesWithIdenticalFeaturesAndComputesOnlyWhatWasMissing()
    {
        using var d = new TempDir();
        var files = Wavs(d, 60);
        var cacheRoot = Path.Combine(d.Path, "cache");
        using var cts = new CancellationTokenSource();
        var ex = new CountingExtractor { CancelAfterCts = cts, CancelAfter = 25 };
        Assert.ThrowsAny<OperationCanceledException>(() => new FeatureCache(cacheRoot, ex).Fill(files, new FeatureCacheOptions { ShardSize = 10, Parallelism = 2 }, cancel: cts.Token));
        var callsBefore = ex.Calls;
        Assert.InRange(callsBefore, 25, 59);
        var resumed = new FeatureCache(cacheRoot, ex);
        Assert.Equal(callsBefore, resumed.Count); // everything computed before the cancel was saved
        var rerun = resumed.Fill(files, new FeatureCacheOptions { ShardSize = 10 });
        Assert.Equal(60 - callsBefore, rerun.Computed);
        Assert.Equal(60, ex.Calls); // each item extracted exactly once over both runs
        // Identical to a fresh, uninterrupted fill.
        var fresh = new FeatureCache(Path.Combine(d.Path, "fresh"), new CountingExtractor());
        fresh.Fill(files);
        var final = new FeatureCache(cacheRoot, new CountingExtractor());
        foreach (var f in files)
        {
            var a = final.Get(f);
            var b = fresh.Get(f);
            Assert.Equal(b.Shape, a.Shape);
            Assert.Equal(b.Data, a.Data);
        }
    }

    [Fact]
    public void KeysAreContentAndConfig()
    {
        using var d = new TempDir();
        var a = d.File("a.wav", TempDir.TinyWav(1));
        var copy = d.File("copy.wav", TempDir.TinyWav(1));
        var ex = new CountingExtractor();
        var cache = new FeatureCache(d.Path + "/cache", ex);
        var r = cache.Fill([a, copy]);
        Assert.Equal((1, 1), (r.Computed, r.Reused)); // identical content is extracted once
        File.WriteAllBytes(a, TempDir.TinyWav(2));   // changed content: a new key
        Assert.Equal(1, cache.Fill([a, copy]).Computed);
        var v2 = new FeatureCache(d.Path + "/cache", new CountingExtractor("v2")); // new settings: a new folder
        Assert.Equal(0, v2.Count);
        Assert.NotEqual(cache.Folder, v2.Folder);
    }

    [Fact]
    public void UnreadableItemsAreReportedAndSkipped()
    {
        using var d = new TempDir();
        var files = Wavs(d, 5);
        var corrupt = d.File("wav/corrupt.wav", "RIFF\0\0\0\0WAVEjunkjunkjunk"u8.ToArray());
        var missing = Path.Combine(d.Path, "wav/missing.wav");
        var cache = new FeatureCache(d.Path + "/cache", new CountingExtractor());
        var r = cache.Fill([.. files, corrupt, missing]);
        Assert.Equal(5, r.Computed);
        Assert.Equal(2, r.Failed.Count);
        Assert.Contains(r.Failed, f => f.Path == corrupt && f.Reason.Contains("corrupt.wav"));
        Assert.Contains(r.Failed, f => f.Path == missing);
        Assert.Contains("corrupt.wav", File.ReadAllText(cache.FailuresPath));
    }

    [Fact]
    public void ProgressReportsRateAndEta()
    {
        using var d = new TempDir();
        var files = Wavs(d, 20);
        var reports = new List<FeatureCacheProgress>();
        var progress = new SyncProgress<FeatureCacheProgress>(reports.Add);
        new FeatureCache(d.Path + "/cache", new CountingExtractor()).Fill(files, new FeatureCacheOptions { ProgressInterval = TimeSpan.Zero }, progress);
        Assert.True(reports.Count >= 2);
        var last = reports[^1];
        Assert.Equal((20, 20, 20), (last.Done, last.Total, last.Computed));
        Assert.True(last.ItemsPerSecond > 0);
        Assert.Equal(0, reports[0].Done);
    }

    [Fact]
    public void AnUnreadableShardIsReportedAndItsItemsRecomputed()
    {
        using var d = new TempDir();
        var files = Wavs(d, 4);
        var ex = new CountingExtractor();
        var cache = new FeatureCache(d.Path + "/cache", ex);
        cache.Fill(files, new FeatureCacheOptions { ShardSize = 100, Parallelism = 1 });
        var shard = Directory.GetFiles(cache.Folder, "shard-*.safetensors").Single();
        File.WriteAllBytes(shard, [1, 2, 3]);
        var reopened = new FeatureCache(d.Path + "/cache", ex);
        Assert.Single(reopened.LoadProblems);
        Assert.Equal(4, reopened.Fill(files).Computed);
    }

    [Fact]
    public void AKilledWriteLeavesOnlyATempFileThatIsIgnored()
    {
        // A process killed inside a shard write leaves AtomicFile's hidden temp file, never a half shard.
        using var d = new TempDir();
        var files = Wavs(d, 6);
        var ex = new CountingExtractor();
        var cache = new FeatureCache(d.Path + "/cache", ex);
        cache.Fill(files.Take(3).ToList(), new FeatureCacheOptions { Parallelism = 1 });
        File.WriteAllBytes(Path.Combine(cache.Folder, ".shard-0123456789abcdef.safetensors.999.0000.tmp"), [1, 2, 3, 4, 5]);
        var reopened = new FeatureCache(d.Path + "/cache", ex);
        Assert.Empty(reopened.LoadProblems);
        Assert.Equal(3, reopened.Count);
        Assert.Equal(3, reopened.Fill(files).Computed);
        Assert.Equal(6, ex.Calls);
    }

    [Fact]
    public void MfccExtractorPlugsIn()
    {
        using var d = new TempDir();
        var wav16 = d.File("a.wav", TempDir.TinyWav(3));
        using var mfcc = new MfccFeatureExtractor(new MfccOptions { NMfcc = 13, Mel = new MelSpectrogramOptions { SampleRate = 16000, NMels = 40, Stft = new StftOptions { NFft = 512, HopLength = 160 } } });
        var f = mfcc.Extract(wav16);
        Assert.Equal(13, f.Shape[1]);
        Assert.Equal(1600 / 160 + 1, f.Shape[0]);
        using var other = new MfccFeatureExtractor(mfcc.Options with { NMfcc = 20 });
        Assert.NotEqual(mfcc.ConfigHash, other.ConfigHash);
        using var at48 = new MfccFeatureExtractor(MfccOptions.CnnTransformerSeed);
        var e = Assert.Throws<MediaFormatException>(() => at48.Extract(wav16));
        Assert.Contains("a.wav", e.Message);
        Assert.Contains("16000", e.Message);
    }

    /// <summary>IProgress without a SynchronizationContext hop (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly object gate = new();
        public void Report(T value) { lock (gate) report(value); }
    }
}
