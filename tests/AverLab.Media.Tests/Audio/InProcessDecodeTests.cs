using AverLab.Media.Audio;

namespace AverLab.Media.Tests.Audio;

/// <summary>The loading fast paths give the samples of the ffmpeg processes they replace, bit for bit: the in-process
/// soxr resampler against `ffmpeg -af aresample=resampler=soxr`, and the managed FLAC decoder against ffmpeg's
/// decoder; a FLAC file the reader does not verify goes to ffmpeg as before.</summary>
public sealed class InProcessDecodeTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-inproc-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Speech-like test signal: harmonics of a gliding pitch, an envelope and a little noise.</summary>
    private static float[] Voice(int n, int rate, int seed, double amplitude = 0.3)
    {
        var rng = new Random(seed);
        var y = new float[n];
        double phase = 0;
        for (var i = 0; i < n; i++)
        {
            var t = (double)i / rate;
            phase += 2 * Math.PI * (140 + 40 * Math.Sin(2 * Math.PI * 0.8 * t)) / rate;
            double v = 0;
            for (var h = 1; h <= 12; h++) v += Math.Sin(h * phase) / h;
            y[i] = (float)(amplitude * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 3 * t)) * v / 3 + 0.002 * (rng.NextDouble() - 0.5));
        }
        return y;
    }

    [Fact]
    public void ResamplerRunsInProcessOnThisMachine() => Assert.True(Resampler.InProcess, "libswresample.so.4 did not load (scripts/setup.sh installs ffmpeg, which brings it)");

    [Theory]
    [InlineData(48000, 22050, 144000)]
    [InlineData(48000, 16000, 144000)]
    [InlineData(48000, 22050, 1001)]
    [InlineData(44100, 16000, 30000)]
    [InlineData(16000, 22050, 16000)]
    [InlineData(22050, 8000, 5)]
    public void InProcessResamplingEqualsTheFfmpegProcessBitForBit(int from, int to, int n)
    {
        var x = Voice(n, from, n + from);
        var inProcess = Resampler.Resample(new AudioSignal(x, from), to);
        var process = Resampler.ResampleWithFfmpeg(new AudioSignal(x, from), to);
        Assert.Equal((int)Math.Ceiling((double)n * to / from), inProcess.Length);
        Assert.Equal(process.Channels[0], inProcess.Channels[0]);
    }

    [Fact]
    public void StereoIsResampledChannelByChannelAsFfmpegDoes()
    {
        var signal = new AudioSignal([Voice(20000, 48000, 1), Voice(20000, 48000, 2, 0.1)], 48000);
        var inProcess = Resampler.Resample(signal, 22050);
        var process = Resampler.ResampleWithFfmpeg(signal, 22050);
        Assert.Equal(process.Channels[0], inProcess.Channels[0]);
        Assert.Equal(process.Channels[1], inProcess.Channels[1]);
    }

    private string Flac(string name, AudioSignal signal, WavSampleFormat format, params string[] args)
    {
        var wav = Path.Combine(dir, name + ".wav");
        WavWriter.Write(wav, signal, format);
        var flac = Path.Combine(dir, name + ".flac");
        Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-v", "error", "-y", "-i", wav, .. args, flac], flac);
        return flac;
    }

    [Theory]
    [InlineData("mono16", 1, WavSampleFormat.Pcm16, new string[0])]
    [InlineData("stereo16", 2, WavSampleFormat.Pcm16, new[] { "-compression_level", "8" })]
    [InlineData("stereo16-fast", 2, WavSampleFormat.Pcm16, new[] { "-compression_level", "0" })]
    [InlineData("mono24", 1, WavSampleFormat.Pcm24, new[] { "-compression_level", "12" })]
    [InlineData("stereo24", 2, WavSampleFormat.Pcm24, new[] { "-lpc_type", "cholesky", "-lpc_passes", "2" })]
    [InlineData("fixed", 1, WavSampleFormat.Pcm16, new[] { "-lpc_type", "fixed" })]
    [InlineData("verbatim-ish", 1, WavSampleFormat.Pcm16, new[] { "-lpc_type", "none" })]
    public void FlacReaderDecodesWhatFfmpegDecodes(string name, int channels, WavSampleFormat format, string[] args)
    {
        var frames = 48000 + 777; // not a whole number of blocks: a short last frame
        var signal = new AudioSignal(Enumerable.Range(0, channels).Select(c => Voice(frames, 48000, c + 7, c == 0 ? 0.5 : 0.2)).ToArray(), 48000);
        if (name == "verbatim-ish") // white noise: nothing to predict, verbatim/escaped partitions
        {
            var rng = new Random(3);
            signal = new AudioSignal(Enumerable.Range(0, frames).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray(), 48000);
        }
        var path = Flac(name, signal, format, args);
        var managed = FlacReader.TryRead(path);
        Assert.NotNull(managed);
        var reference = AudioDecoder.Decode(path);
        Assert.Equal(reference.SampleRate, managed.SampleRate);
        Assert.Equal(reference.ChannelCount, managed.ChannelCount);
        for (var c = 0; c < channels; c++) Assert.Equal(reference.Channels[c], managed.Channels[c]);
    }

    [Fact]
    public void LoadingAFlacFileEqualsTheFfmpegPathWithOffsetDurationAndResampling()
    {
        var path = Flac("load", new AudioSignal(Voice(4 * 48000 + 123, 48000, 11), 48000), WavSampleFormat.Pcm16);
        foreach (var (offset, duration, rate) in new (double, double?, int)[] { (0.5, 3.0, 22050), (0, 3.0, 16000), (0.25, null, 48000), (3.9, 3.0, 22050) })
        {
            var loaded = AudioLoader.Load(path, new AudioLoadOptions { Offset = offset, Duration = duration, SampleRate = rate });
            var reference = AudioDecoder.Decode(path, offset: offset, duration: duration);
            if (rate != reference.SampleRate) reference = Resampler.ResampleWithFfmpeg(reference, rate);
            Assert.Equal(reference.Channels[0], loaded.Channels[0]);
        }
    }

    [Fact]
    public void DamagedFlacIsLeftToFfmpeg()
    {
        var path = Flac("damaged", new AudioSignal(Voice(48000, 48000, 5), 48000), WavSampleFormat.Pcm16);
        var good = File.ReadAllBytes(path);
        Assert.NotNull(FlacReader.TryDecode(good));
        // Every truncation and a flipped byte in each region (header, metadata, frames): null, never an exception.
        var rng = new Random(9);
        for (var cut = 0; cut < good.Length; cut += Math.Max(1, good.Length / 97))
            Assert.Null(FlacReader.TryDecode(good[..cut]));
        for (var k = 0; k < 200; k++)
        {
            var bad = (byte[])good.Clone();
            var at = rng.Next(bad.Length);
            bad[at] ^= (byte)(1 << rng.Next(8));
            var decoded = FlacReader.TryDecode(bad);
            // A flip inside metadata the decoder does not use (e.g. the encoder's vendor string) leaves the samples intact.
            if (decoded != null) Assert.Equal(FlacReader.TryDecode(good)!.Channels[0], decoded.Channels[0]);
        }
        // A truncated file: the loader goes to ffmpeg, which decodes what is there or says what is wrong, naming the file.
        var truncated = Path.Combine(dir, "truncated.flac");
        File.WriteAllBytes(truncated, good[..(good.Length / 2)]);
        Assert.Null(FlacReader.TryRead(truncated));
        try
        {
            var s = AudioLoader.Load(truncated);
            Assert.InRange(s.Length, 1, 48000);
        }
        catch (MediaFormatException e)
        {
            Assert.Equal(truncated, e.Path);
        }
        var garbage = Path.Combine(dir, "garbage.flac");
        File.WriteAllText(garbage, "not a flac file at all");
        Assert.Equal(garbage, Assert.Throws<MediaFormatException>(() => AudioLoader.Load(garbage)).Path);
    }
}
