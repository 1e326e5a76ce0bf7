using AverLab.Media.Audio;

namespace AverLab.Media.Tests.Audio;

/// <summary>Creates a synthetic stereo WAV once and converts it with ffmpeg to the containers/codecs under test.</summary>
public sealed class EncodedFilesFixture : IDisposable
{
    public const int Rate = 16000, Frames = 16000;

    public EncodedFilesFixture()
    {
        Dir = Directory.CreateTempSubdirectory("averlab-dec-").FullName;
        Left = Enumerable.Range(0, Frames).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / Rate))).ToArray();
        Right = Enumerable.Range(0, Frames).Select(i => (float)(0.25 * Math.Sin(2 * Math.PI * 660 * i / Rate))).ToArray();
        Wav = Path.Combine(Dir, "source.wav");
        WavWriter.Write(Wav, new AudioSignal([Left, Right], Rate), WavSampleFormat.Float32);
    }

    public string Dir { get; }
    public string Wav { get; }
    public float[] Left { get; }
    public float[] Right { get; }

    /// <summary>Converts the source with extra ffmpeg output arguments (cached per name).</summary>
    public string Encode(string name, params string[] args)
    {
        var path = Path.Combine(Dir, name);
        lock (this)
        {
            if (!File.Exists(path))
                Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-v", "error", "-y", "-i", Wav, .. args, path], path);
        }
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

public sealed class AudioDecoderTests(EncodedFilesFixture files) : IClassFixture<EncodedFilesFixture>
{
    private static double Correlation(float[] a, float[] b, int skip)
    {
        double ab = 0, aa = 0, bb = 0;
        for (var i = skip; i < Math.Min(a.Length, b.Length) - skip; i++)
        {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.Sqrt(aa * bb);
    }

    [Theory]
    [InlineData("a.flac", new string[0], 0.0)]
    [InlineData("a.mp3", new[] { "-b:a", "128k" }, 1200.0)]
    [InlineData("a.ogg", new[] { "-c:a", "libvorbis" }, 1200.0)]
    [InlineData("a.m4a", new[] { "-c:a", "aac" }, 2100.0)]
    [InlineData("a.mkv", new[] { "-c:a", "flac" }, 0.0)]
    public void DecodesContainersAtNativeRateAndChannels(string name, string[] args, double maxShift)
    {
        var path = files.Encode(name, args);
        var info = AudioDecoder.Probe(path);
        Assert.Equal(EncodedFilesFixture.Rate, info.SampleRate);
        Assert.Equal(2, info.Channels);
        var s = AudioDecoder.Decode(path);
        Assert.Equal(2, s.ChannelCount);
        Assert.Equal(EncodedFilesFixture.Rate, s.SampleRate);
        Assert.InRange(s.Length, EncodedFilesFixture.Frames, EncodedFilesFixture.Frames + maxShift + 1200);
        if (maxShift == 0)
            for (var i = 0; i < EncodedFilesFixture.Frames; i++) Assert.Equal(files.Left[i], s.Channels[0][i], 1e-4f);
        else
        {
            // Lossy codecs add encoder delay; the best alignment within maxShift must still correlate strongly.
            var best = Enumerable.Range(0, (int)maxShift + 1)
                .Max(d => Correlation(files.Left, s.Channels[0].Skip(d).ToArray(), 2000));
            Assert.True(best > 0.99, $"{name}: correlation {best}");
        }
    }

    [Theory]
    [InlineData("v.mp4", "aac")]
    [InlineData("v.flv", "aac")]
    [InlineData("v.avi", "pcm_s16le")]
    public void DecodesTheAudioTrackOfVideoFiles(string name, string codec)
    {
        var path = Path.Combine(files.Dir, name);
        Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1",
            "-i", files.Wav, "-shortest", "-c:a", codec, "-ac", "1", path], path);
        var s = AudioDecoder.Decode(path, sampleRate: 8000);
        Assert.Equal(1, s.ChannelCount);
        Assert.Equal(8000, s.SampleRate);
        Assert.InRange(s.Length, 6000, 10000);
    }

    [Fact]
    public void VideoWithoutAudioTrackIsAClearError()
    {
        var path = Path.Combine(files.Dir, "silent.mp4");
        Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1",
            "-pix_fmt", "yuv420p", path], path);
        var e = Assert.Throws<MediaFormatException>(() => AudioDecoder.Decode(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("no audio stream", e.Problem);
        Assert.Throws<MediaFormatException>(() => AudioLoader.Load(path));
    }

    [Fact]
    public void MissingAndGarbageFilesAreClearErrors()
    {
        var missing = Path.Combine(files.Dir, "missing.mp3");
        Assert.Contains("not found", Assert.Throws<MediaFormatException>(() => AudioDecoder.Decode(missing)).Problem);
        var garbage = Path.Combine(files.Dir, "garbage.mp3");
        File.WriteAllText(garbage, "not an mp3");
        var e = Assert.Throws<MediaFormatException>(() => AudioDecoder.Decode(garbage));
        Assert.Equal(garbage, e.Path);
    }

    [Fact]
    public void ResamplerKeepsASineAndLengthLikeLibrosa()
    {
        var x = Enumerable.Range(0, 48000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / 48000.0))).ToArray();
        var y = Resampler.Resample(new AudioSignal(x, 48000), 16000).Channels[0];
        Assert.Equal(16000, y.Length);
        double worst = 0;
        for (var i = 200; i < 15800; i++) worst = Math.Max(worst, Math.Abs(y[i] - 0.5 * Math.Sin(2 * Math.PI * 1000 * i / 16000.0)));
        Assert.True(worst < 1e-3, $"max error {worst}");
        var z = Resampler.Resample(new AudioSignal(x.AsSpan(0, 1001).ToArray(), 48000), 22050).Channels[0];
        Assert.Equal((int)Math.Ceiling(1001 * 22050 / 48000.0), z.Length);
    }

    [Fact]
    public void DecodeResamplesWithOffsetAndDuration()
    {
        var s = AudioDecoder.Decode(files.Encode("b.flac"), sampleRate: 8000, channels: 1, offset: 0.25, duration: 0.5);
        Assert.Equal(8000, s.SampleRate);
        Assert.InRange(s.Length, 3990, 4010);
    }
}
