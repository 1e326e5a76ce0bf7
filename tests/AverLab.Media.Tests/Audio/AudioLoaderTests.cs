using AverLab.Media.Audio;

namespace AverLab.Media.Tests.Audio;

public sealed class AudioLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("averlab-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, AudioSignal s)
    {
        var p = Path.Combine(_dir, name);
        WavWriter.Write(p, s, WavSampleFormat.Float32);
        return p;
    }

    [Fact]
    public void OffsetDurationAndMonoFollowLibrosaLoad()
    {
        var l = Enumerable.Range(0, 10000).Select(i => i / 10000f).ToArray();
        var r = l.Select(v => -v + 0.5f).ToArray();
        var p = Write("s.wav", new AudioSignal([l, r], 1000)); // the lowest rate WavReader reads
        var s = AudioLoader.Load(p, new AudioLoadOptions { Offset = 0.5, Duration = 2.0 });
        Assert.Equal(1, s.ChannelCount);
        Assert.Equal(2000, s.Length);
        Assert.Equal(0.25f, s.Channels[0][0], 1e-6f); // (0.05 + 0.45) / 2
        var st = AudioLoader.Load(p, new AudioLoadOptions { Mono = false, Offset = 9.5 });
        Assert.Equal(2, st.ChannelCount);
        Assert.Equal(500, st.Length);
        Assert.Throws<MediaFormatException>(() => AudioLoader.Load(p, new AudioLoadOptions { Offset = 20 }));
    }

    [Fact]
    public void ResamplesToTheTargetRate()
    {
        var x = Enumerable.Range(0, 4800).Select(i => (float)Math.Sin(i * 0.01)).ToArray();
        var s = AudioLoader.Load(Write("r.wav", new AudioSignal(x, 48000)), new AudioLoadOptions { SampleRate = 16000 });
        Assert.Equal(16000, s.SampleRate);
        Assert.Equal(1600, s.Length);
    }

    [Fact]
    public void TrimRemovesLeadingAndTrailingSilenceLikeLibrosa()
    {
        // 1 s silence, 1 s tone, 1 s silence at 16 kHz; frames of 2048 with hop 512.
        var x = new float[48000];
        for (var i = 16000; i < 32000; i++) x[i] = (float)(0.5 * Math.Sin(i * 0.3));
        var (start, end) = SilenceTrimmer.NonSilentRange(x, 60);
        // The first non-silent frame is the first whose centred window reaches the tone: frame t covers
        // [t*512 - 1024, t*512 + 1024); t = ceil((16000 - 1023) / 512) = 30.
        Assert.Equal(30 * 512, start);
        Assert.Equal(Math.Min(48000, (32000 + 1023) / 512 * 512 + 512), end);
        var s = AudioLoader.Load(Write("t.wav", new AudioSignal(x, 16000)), new AudioLoadOptions { TrimTopDb = 60 });
        Assert.Equal(end - start, s.Length);
        // All zeros: every frame equals the (amin-clamped) maximum, so librosa keeps the whole clip; so do we.
        Assert.Equal(5000, AudioLoader.Load(Write("z.wav", new AudioSignal(new float[5000], 16000)), new AudioLoadOptions { TrimTopDb = 60 }).Length);
    }

    [Fact]
    public void LengthPolicies()
    {
        float[] x = [1, 2, 3, 4, 5];
        Assert.Equal([1f, 2, 3, 4, 5, 0, 0], AudioLoader.FitLength(x, 7, LengthPolicy.PadEnd));
        Assert.Equal([1f, 2, 3], AudioLoader.FitLength(x, 3, LengthPolicy.PadEnd));
        Assert.Equal([3f, 3, 1, 2, 3, 4, 5], AudioLoader.FitLength(x, 7, LengthPolicy.KeepLastPadMean));
        Assert.Equal([3f, 4, 5], AudioLoader.FitLength(x, 3, LengthPolicy.KeepLastPadMean));
        Assert.Equal([0f, 1, 2, 3, 4, 5, 0, 0], AudioLoader.FitLength(x, 8, LengthPolicy.Centre));
        Assert.Equal([2f, 3, 4], AudioLoader.FitLength(x, 3, LengthPolicy.Centre));
        var p = Write("p.wav", new AudioSignal(x.Select(v => v / 10).ToArray(), 1000));
        Assert.Equal(8, AudioLoader.Load(p, new AudioLoadOptions { TargetLength = 8, Policy = LengthPolicy.Centre }).Length);
        Assert.Throws<ArgumentException>(() => AudioLoader.Load(p, new AudioLoadOptions { Policy = LengthPolicy.PadEnd }));
    }

    [Fact]
    public void LoadsCompressedFilesThroughFfmpeg()
    {
        var src = Write("c.wav", new AudioSignal(Enumerable.Range(0, 8000).Select(i => (float)Math.Sin(i * 0.05) / 2).ToArray(), 8000));
        var flac = Path.Combine(_dir, "c.flac");
        Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-v", "error", "-i", src, flac], flac);
        var s = AudioLoader.Load(flac, new AudioLoadOptions { Offset = 0.5 });
        Assert.InRange(s.Length, 3990, 4010);
    }

    [Fact]
    public void CompressedWavFallsBackToFfmpeg()
    {
        var src = Write("pcm.wav", new AudioSignal(Enumerable.Range(0, 8000).Select(i => (float)Math.Sin(i * 0.05) / 2).ToArray(), 8000));
        var alaw = Path.Combine(_dir, "alaw.wav");
        Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-v", "error", "-i", src, "-c:a", "pcm_alaw", alaw], alaw);
        Assert.Contains("unsupported format tag 0x0006", Assert.Throws<MediaFormatException>(() => WavReader.Read(alaw)).Problem);
        var s = AudioLoader.Load(alaw);
        Assert.Equal(8000, s.Length);
        Assert.Equal(0.5 * Math.Sin(100 * 0.05), s.Channels[0][100], 0.02);
    }
}
