using AverLab.Media.Audio;

namespace AverLab.Media.Tests.Audio;

public sealed class WavReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("averlab-wav-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Save(string name, byte[] bytes)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    private MediaFormatException Fails(string name, byte[] bytes, string problemPart)
    {
        var path = Save(name, bytes);
        var e = Assert.Throws<MediaFormatException>(() => WavReader.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message);
        Assert.Contains(problemPart, e.Problem, StringComparison.OrdinalIgnoreCase);
        return e;
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16, 2.0 / 32768)] // the writer scales by 32767, readers by 32768
    [InlineData(WavSampleFormat.Pcm24, 2.0 / 8388608)]
    [InlineData(WavSampleFormat.Pcm32, 1e-7)]
    [InlineData(WavSampleFormat.Float32, 0.0)]
    public void RoundTripsWhatWavWriterWrites(WavSampleFormat format, double tolerance)
    {
        var left = Enumerable.Range(0, 500).Select(i => (float)(0.8 * Math.Sin(i * 0.05))).ToArray();
        var right = left.Select(v => -v / 2).ToArray();
        var path = Path.Combine(_dir, $"rt-{format}.wav");
        WavWriter.Write(path, new AudioSignal([left, right], 44100), format);
        var s = WavReader.Read(path);
        Assert.Equal(2, s.ChannelCount);
        Assert.Equal(44100, s.SampleRate);
        Assert.Equal(500, s.Length);
        for (var i = 0; i < 500; i++)
        {
            Assert.True(Math.Abs(s.Channels[0][i] - left[i]) <= tolerance + 1e-7, $"frame {i}");
            Assert.True(Math.Abs(s.Channels[1][i] - right[i]) <= tolerance + 1e-7, $"frame {i}");
        }
    }

    [Fact]
    public void ReadsUnsigned8BitAndScalesLikeSoundfile()
    {
        var bytes = new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 8)).Chunk("data", [0, 128, 255]).Build();
        var s = WavReader.Decode(bytes, "u8.wav");
        Assert.Equal([-1f, 0f, 127f / 128f], s.Channels[0]);
    }

    [Fact]
    public void ReadsFloat64AndExtensibleWithManyChannels()
    {
        var f64 = new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(3, 1, 22050, 64)).Chunk("data", WavBuilder.Float64(0.25, -0.5)).Build();
        Assert.Equal([0.25f, -0.5f], WavReader.Decode(f64, "f64.wav").Channels[0]);

        var six = WavBuilder.Pcm16(Enumerable.Range(0, 12).Select(i => (short)(i * 1000)).ToArray());
        var ext = new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(0, 6, 48000, 16, extensible: true)).Chunk("data", six).Build();
        var s = WavReader.Decode(ext, "ext.wav");
        Assert.Equal(6, s.ChannelCount);
        Assert.Equal(2, s.Length);
        Assert.Equal(7000 / 32768f, s.Channels[1][1]);

        var extFloat = new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(0, 2, 48000, 32, extensible: true, subTag: 3))
            .Chunk("data", WavBuilder.Float32(0.5f, -0.25f)).Build();
        Assert.Equal(-0.25f, WavReader.Decode(extFloat, "extf.wav").Channels[1][0]);
    }

    [Fact]
    public void SkipsUnknownAndOddChunksBeforeAndAfterData()
    {
        var bytes = new WavBuilder().Chunk("bext", new byte[13]).Chunk("fmt ", WavBuilder.Fmt(1, 1, 16000, 16))
            .Chunk("FLLR", new byte[5]).Chunk("LIST", new byte[9]).Chunk("data", WavBuilder.Pcm16(1, 2, 3))
            .Chunk("_PMX", new byte[11]).Build();
        var s = WavReader.Decode(bytes, "chunks.wav");
        Assert.Equal([1 / 32768f, 2 / 32768f, 3 / 32768f], s.Channels[0]);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(1000u)]
    public void DataSizeZeroOrPastTheEndReadsWhatIsThere(uint claimed)
    {
        var bytes = new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 1, 16000, 16)).Chunk("data", WavBuilder.Pcm16(5, 6, 7, 8)).Build(claimed);
        Assert.Equal(4, WavReader.Decode(bytes, "stream.wav").Length);
    }

    [Fact]
    public void TruncatedFileDropsThePartialFrameAndTruncatedHeaderFails()
    {
        var full = WavBuilder.TypicalPcm16();
        var dataStart = 12 + 8 + 16 + 8 + 8 + 8; // fmt, LIST(7 + pad), data header
        var cut = full.AsSpan(0, dataStart + 21).ToArray(); // 10 frames and a half
        Assert.Equal(10, WavReader.Decode(cut, "cut.wav").Length);
        Fails("hdr.wav", full.AsSpan(0, 30).ToArray(), "truncated header");
        Fails("tiny.wav", full.AsSpan(0, 8).ToArray(), "truncated header");
    }

    [Fact]
    public void HeaderThatLiesAboutSizesFails()
    {
        var fmt = WavBuilder.Fmt(1, 2, 16000, 16);
        fmt[12] = 3; // block align 3 for 2 x 16-bit
        Fails("lies.wav", new WavBuilder().Chunk("fmt ", fmt).Chunk("data", WavBuilder.Pcm16(1, 2)).Build(), "header lies about sizes");
        var bytes = WavBuilder.TypicalPcm16();
        bytes[16] = 0xF0; // fmt chunk size far past the end
        Fails("fmtsize.wav", bytes, "truncated header");
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(10, false)] // 4 samples at 10 Hz: resampled to 16 kHz they would be 6,400, and a 4,800-sample clip 2 hours
    [InlineData(999, false)]
    [InlineData(1000, true)]
    [InlineData(10_000_000, true)]
    [InlineData(10_000_001, false)]
    public void SampleRatesOutsideOneKilohertzToTenMegahertzFail(int rate, bool reads)
    {
        var bytes = new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 1, rate, 16)).Chunk("data", WavBuilder.Pcm16(1, 2, 3, 4)).Build();
        if (reads) Assert.Equal(rate, WavReader.Decode(bytes, "rate.wav").SampleRate);
        else Fails("rate.wav", bytes, $"header says sample rate {rate} Hz (readable: 1000 Hz to 10 MHz)");
    }

    [Fact]
    public void ZeroLengthDataFails() =>
        Fails("empty.wav", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 1, 16000, 16)).Chunk("data", []).Build(), "zero-length data");

    [Fact]
    public void UnsupportedFormatTagFails() =>
        Fails("alaw.wav", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(6, 1, 8000, 8)).Chunk("data", [1, 2]).Build(), "unsupported format tag 0x0006");

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NanOrInfFloatSamplesFail(float bad) =>
        Fails("nan.wav", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(3, 1, 8000, 32)).Chunk("data", WavBuilder.Float32(0.1f, bad)).Build(), "NaN/Inf");

    [Fact]
    public void TextFileNamedWavFails() =>
        Fails("notes.wav", "hello, this is not audio at all\n"u8.ToArray(), "not a RIFF/WAVE file");

    [Fact]
    public void MissingFileFails()
    {
        var path = Path.Combine(_dir, "nope.wav");
        var e = Assert.Throws<MediaFormatException>(() => WavReader.Read(path));
        Assert.Contains("not found", e.Problem);
        Assert.Equal(path, e.Path);
    }

    [SharedDataFact]
    public void RealRavdessFileMatchesGoldenExcerptWhenSharedDataIsPresent()
    {
        var wav = Path.Combine(SharedData.Ravdess!, "Actor_01", "03-01-05-02-01-01-01.wav");
        var s = WavReader.Read(wav);
        Assert.Equal(48000, s.SampleRate);
        var expected = Features.GoldenFixture.Input(Features.GoldenFixture.Load(0));
        Assert.Equal(expected, s.Channels[0].AsSpan(24000, 144000).ToArray());
    }
}
