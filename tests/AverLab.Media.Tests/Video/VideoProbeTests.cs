using AverLab.Media.Video;

namespace AverLab.Media.Tests.Video;

public class VideoProbeTests(VideoFiles files) : IClassFixture<VideoFiles>
{
    [Fact]
    public void ProbeReportsDurationFpsSizeAndStreams()
    {
        var p = VideoProbe.Read(files.WithAudio);
        Assert.Equal(2.0, p.Duration, 0.05);
        Assert.Equal(25.0, p.Fps, 1e-9);
        Assert.Equal((160, 120), (p.Width, p.Height));
        Assert.Equal(50, p.FrameCount);
        Assert.True(p.HasVideo);
        Assert.True(p.HasAudio);
        Assert.Equal(2, p.Streams.Count);
        Assert.Equal("h264", p.Streams.Single(s => s.CodecType == "video").CodecName);
        var audio = p.Audio!;
        Assert.Equal(("aac", 44100, 1), (audio.CodecName, audio.SampleRate, audio.Channels));
    }

    [Fact]
    public void ProbeOfASilentVideoHasNoAudio()
    {
        var p = VideoProbe.Read(files.Silent);
        Assert.False(p.HasAudio);
        Assert.Null(p.Audio);
        Assert.Single(p.Streams);
    }

    [Fact]
    public void MissingFileAndTextFileNameTheFile()
    {
        var missing = Assert.Throws<MediaFormatException>(() => VideoProbe.Read(files.Missing));
        Assert.Equal(files.Missing, missing.Path);
        Assert.Contains("not found", missing.Message);
        var text = Assert.Throws<MediaFormatException>(() => VideoProbe.Read(files.TextAsMp4));
        Assert.Equal(files.TextAsMp4, text.Path);
        Assert.Contains("Invalid data", text.Message);
    }
}
