using System.Security.Cryptography;
using AverLab.Data.Corpora;
using AverLab.Data.Features;
using AverLab.Data.Labels;
using AverLab.Data.Loading;
using AverLab.Data.Splits;
using AverLab.Data.Synthetic;
using AverLab.Media;
using AverLab.Media.Audio;
using AverLab.Media.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Data.Tests;

[Collection("synthetic")]
public sealed class SyntheticCorpusTests(SyntheticFixture fixture)
{
    [Fact]
    public void WritesRavdessLayoutThatTheReaderParses()
    {
        var r = RavdessCorpus.Read(fixture.Result.RavdessRoot);
        Assert.Empty(r.Report.Skipped);
        Assert.Equal(8 * 60, r.Items.Count);
        Assert.Equal(8 * 60, fixture.Result.AudioFiles);
        Assert.All(Enumerable.Range(1, 8), a => Assert.True(Directory.Exists(Path.Combine(fixture.Result.RavdessRoot, $"Actor_{a:00}"))));
        Assert.Equal(Enum.GetValues<Emotion>().Length, r.Items.Select(i => i.Emotion).Distinct().Count());
        Assert.DoesNotContain(r.Items, i => ((RavdessName)i.Details!).EmotionCode == 1 && ((RavdessName)i.Details!).Intensity == 2);
        var wav = WavReader.Read(r.Items[0].Path);
        Assert.Equal((16000, 1), (wav.SampleRate, wav.ChannelCount));
        Assert.All(r.Items.Take(40), i => Assert.InRange(WavReader.Read(i.Path).Duration, 1.5, 3.2));
        var fer = Fer2013Corpus.ReadCsv(fixture.Result.FerCsv!);
        Assert.Empty(fer.Report.Skipped);
        Assert.Equal(7 * 300, fer.Items.Count);
        Assert.Equal(7, fer.Items.Select(i => i.NativeLabel).Distinct().Count());
        Assert.Equal(["PrivateTest", "PublicTest", "Training"], fer.Items.Select(i => i.PresetSplit!).Distinct().Order().ToArray());
    }

    [Fact]
    public void FerRowsLoadAsImageBatchesWithThePresetSplit()
    {
        var fer = Fer2013Corpus.ReadCsv(fixture.Result.FerCsv!);
        var mapped = LabelSpace.Fer7.Apply(fer.Items, UnmappedPolicy.Reject);
        var (train, val, test) = Splitter.Preset(mapped.Items).Select(mapped.Items);
        Assert.Equal(fer.Items.Count, train.Count + val.Count + test.Count);
        Assert.All(train, t => Assert.Equal(((Fer2013Row)t.Item.Details!).EmotionIndex, t.Label)); // Fer7 keeps FER's index order
        var before = Tensor.TotalCount;
        using (var b = new DataLoader(new Fer2013Dataset(test), new DataLoaderOptions { BatchSize = 16, Shuffle = false }, SplitRole.Test).First())
        {
            Assert.Equal([16L, 1, 48, 48], b.Inputs.shape);
            Assert.InRange(b.Inputs.data<float>().ToArray().Max(), 0.5f, 1f);
        }
        Assert.Equal(before, Tensor.TotalCount);
        Assert.Throws<ArgumentException>(() => new Fer2013Dataset([new LabeledItem(new CorpusItem("/x.png", "fer2013", "happy", Emotion.Happy, null), 3)]));
    }

    [Fact]
    public void GenerationIsDeterministic()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var o = new SyntheticCorpusOptions { Seed = 3, Actors = 2, AllCombinations = false, Video = false, FerPerClass = 5 };
        SyntheticCorpus.Generate(a.Path, o);
        SyntheticCorpus.Generate(b.Path, o with { Parallelism = 1 });
        var filesA = Directory.GetFiles(a.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a.Path, f)).Order().ToList();
        Assert.Equal(2 * 15 + 2, filesA.Count); // 15 wavs per actor + CSV + synthetic.txt
        foreach (var rel in filesA)
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(Path.Combine(a.Path, rel))), SHA256.HashData(File.ReadAllBytes(Path.Combine(b.Path, rel))));
        using var c = new TempDir();
        SyntheticCorpus.Generate(c.Path, o with { Seed = 4 });
        var some = filesA.First(f => f.EndsWith(".wav"));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a.Path, some)), File.ReadAllBytes(Path.Combine(c.Path, some)));
    }

    [Fact]
    public void VideoAllWritesAnMp4BesideEveryWav()
    {
        if (!FfmpegAvailable()) return;
        using var d = new TempDir();
        var result = SyntheticCorpus.Generate(d.Path, new SyntheticCorpusOptions { Seed = 4, Actors = 1, AllCombinations = false, VideoAllCombinations = true, FerPerClass = 0 });
        Assert.Equal(15, result.AudioFiles);
        Assert.Equal(15, result.VideoFiles);
        var items = RavdessCorpus.Read(result.RavdessRoot).Items;
        var wavs = items.Where(i => i.Kind == MediaKind.Audio).Select(i => Path.GetFileNameWithoutExtension(i.Path)[3..]).Order().ToList();
        var mp4s = items.Where(i => i.Kind == MediaKind.AudioVisual).Select(i => Path.GetFileNameWithoutExtension(i.Path)[3..]).Order().ToList();
        Assert.Equal(wavs, mp4s);   // same emotion, intensity, statement, repetition, actor
        Assert.Contains("video_all=True", File.ReadAllText(Path.Combine(d.Path, "synthetic.txt")));
    }

    [Fact]
    public void WritesAudioVisualMp4sWithH264AndAac()
    {
        if (!FfmpegAvailable()) return; // ffmpeg comes from scripts/setup.sh; without it there is nothing to check
        using var d = new TempDir();
        var result = SyntheticCorpus.Generate(d.Path, new SyntheticCorpusOptions { Seed = 1, Actors = 1, AllCombinations = false, FerPerClass = 0, SampleRate = 48000 });
        Assert.Equal(8, result.VideoFiles);
        var r = RavdessCorpus.Read(result.RavdessRoot);
        Assert.Empty(r.Report.Skipped);
        var videos = r.Items.Where(i => i.Kind == MediaKind.AudioVisual).ToList();
        Assert.Equal(8, videos.Count);
        Assert.All(videos, v => Assert.StartsWith("01-01-", Path.GetFileName(v.Path)));
        var probe = System.Text.Encoding.UTF8.GetString(Ffmpeg.Run(Ffmpeg.FfprobePath,
            ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", videos[0].Path], videos[0].Path));
        Assert.Contains("h264,96,96", probe);
        Assert.Contains("aac", probe);
        Assert.Equal(48000, WavReader.Read(r.Items.First(i => i.Kind == MediaKind.Audio).Path).SampleRate);
        // Videos are reproducible too (single-threaded bit-exact x264/AAC).
        using var again = new TempDir();
        SyntheticCorpus.Generate(again.Path, new SyntheticCorpusOptions { Seed = 1, Actors = 1, AllCombinations = false, FerPerClass = 0, SampleRate = 48000 });
        var rel = Path.GetRelativePath(d.Path, videos[3].Path);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(videos[3].Path)), SHA256.HashData(File.ReadAllBytes(Path.Combine(again.Path, rel))));
    }

    [Fact]
    public void EndToEnd_CorruptFileIsReportedAndSkipped_RunGoesOn()
    {
        using var d = new TempDir();
        // Two actors of the synthetic corpus plus a corrupt wav with a valid name and a valid-looking header.
        foreach (var actor in new[] { "Actor_01", "Actor_02", "Actor_03" })
            foreach (var f in Directory.GetFiles(Path.Combine(fixture.Result.RavdessRoot, actor)).Take(12))
                d.File(Path.Combine(actor, Path.GetFileName(f)), File.ReadAllBytes(f));
        var good = File.ReadAllBytes(Directory.GetFiles(Path.Combine(d.Path, "Actor_01"))[0]);
        var corrupt = d.File("Actor_01/03-01-08-02-02-02-01.wav", good[..30].Concat(new byte[40]).ToArray()); // RIFF/WAVE, broken chunks
        var corpus = RavdessCorpus.Read(d.Path);
        Assert.Equal(37, corpus.Items.Count); // the header check alone cannot tell: the decoder will
        var mapping = LabelSpace.Simplified5.Apply(corpus.Items);
        Assert.Equal(0, mapping.DroppedCount);
        var split = Splitter.SpeakerHoldOut(mapping.Items, 0.34, seed: 1);
        using var mfcc = new MfccFeatureExtractor(new MfccOptions { NMfcc = 13, Mel = new MelSpectrogramOptions { SampleRate = 16000, NMels = 40, Stft = new StftOptions { NFft = 512, HopLength = 160 } } });
        var cache = new FeatureCache(Path.Combine(d.Path, "cache"), mfcc);
        var fill = cache.Fill(corpus.Items.Select(i => i.Path).ToList());
        Assert.Equal(36, fill.Computed);
        var failure = Assert.Single(fill.Failed);
        Assert.Equal(corrupt, failure.Path);
        Assert.Contains("03-01-08-02-02-02-01.wav", failure.Reason);
        var (train, _, test) = split.Select(mapping.Items);
        var trainSet = new FeatureDataset(cache, train);
        var testSet = new FeatureDataset(cache, test);
        Assert.Equal(1, trainSet.Missing.Count + testSet.Missing.Count);
        var before = Tensor.TotalCount;
        var batches = 0;
        foreach (var b in new DataLoader(trainSet, new DataLoaderOptions { BatchSize = 8, Seed = 2 }))
            using (b)
            {
                batches++;
                Assert.Equal(13, b.Inputs.shape[2]);
                Assert.Equal(b.Inputs.shape[1], b.Lengths.data<long>().ToArray().Max());
            }
        Assert.Equal((trainSet.Count + 7) / 8, batches);
        Assert.Equal(before, Tensor.TotalCount);
    }

    private static bool FfmpegAvailable()
    {
        try { Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-version"], "ffmpeg"); return true; }
        catch (MediaFormatException) { return false; }
    }
}
