using AverLab.Media.Video;

namespace AverLab.Media.Tests.Video;

public class VideoAudioTests(VideoFiles files) : IClassFixture<VideoFiles>
{
    [Fact]
    public void ExtractsTheSineTrackResampled()
    {
        var audio = VideoAudio.Extract(files.WithAudio, sampleRate: 16000, mono: true);
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(1, audio.ChannelCount);
        Assert.Equal(2.0, audio.Duration, 0.05); // AAC frames may pad a little
        var x = audio.Channels[0];
        // The middle second: a 440 Hz sine (ffmpeg's sine source has amplitude 1/8) crosses zero 880 times.
        var mid = x.AsSpan(4000, 16000);
        var crossings = 0;
        for (var i = 1; i < mid.Length; i++) if (mid[i - 1] < 0 != mid[i] < 0) crossings++;
        Assert.InRange(crossings, 870, 890);
        var rms = Math.Sqrt(mid.ToArray().Average(v => (double)v * v));
        Assert.Equal(0.125 / Math.Sqrt(2), rms, 0.01);
    }

    [Fact]
    public void NativeRateIsKeptWhenNotAsked()
    {
        var audio = VideoAudio.Extract(files.WithAudio);
        Assert.Equal(44100, audio.SampleRate);
    }

    [Fact]
    public void WritesAWav()
    {
        using var dir = new VisionTestData.TempDir();
        var wav = dir.File("track.wav");
        VideoAudio.ExtractToWav(files.WithAudio, wav, sampleRate: 8000, mono: true);
        var back = VideoAudio.Extract(wav);
        Assert.Equal(8000, back.SampleRate);
        Assert.Equal(2.0, back.Duration, 0.05);
    }

    [Fact]
    public void VideoWithoutAudioTrackNamesTheFile()
    {
        var e = Assert.Throws<MediaFormatException>(() => VideoAudio.Extract(files.Silent));
        Assert.Equal(files.Silent, e.Path);
        Assert.Contains("no audio track", e.Message);
    }

    [Fact]
    public void MissingAndTextFilesNameTheFile()
    {
        Assert.Equal(files.Missing, Assert.Throws<MediaFormatException>(() => VideoAudio.Extract(files.Missing)).Path);
        Assert.Equal(files.TextAsMp4, Assert.Throws<MediaFormatException>(() => VideoAudio.Extract(files.TextAsMp4)).Path);
    }
}
