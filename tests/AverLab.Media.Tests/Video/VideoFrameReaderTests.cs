using AverLab.Media.Video;

namespace AverLab.Media.Tests.Video;

public class VideoFrameReaderTests(VideoFiles files) : IClassFixture<VideoFiles>
{
    [Fact]
    public void FourFpsOverTwoSecondsGivesEightTimedFrames()
    {
        var frames = new List<VideoFrame>();
        var n = VideoFrameReader.ForEachAtFps(files.WithAudio, 4, frames.Add);
        Assert.Equal(8, n);
        Assert.Equal(Enumerable.Range(0, 8), frames.Select(f => f.Index));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i * 0.25), frames.Select(f => f.Timestamp));
        Assert.All(frames, f => Assert.Equal((160, 120), (f.Image.Width, f.Image.Height)));
        // testsrc moves every frame: consecutive samples differ.
        Assert.NotEqual(frames[0].Image.Pixels, frames[1].Image.Pixels);
    }

    [Fact]
    public void LazySequenceMatchesThePushReaderAndCanStopEarly()
    {
        var pushed = new List<VideoFrame>();
        VideoFrameReader.ForEachAtFps(files.Silent, 4, pushed.Add);
        var pulled = VideoFrameReader.ReadAtFps(files.Silent, 4).ToList();
        Assert.Equal(pushed.Count, pulled.Count);
        for (var i = 0; i < pushed.Count; i++) Assert.Equal(pushed[i].Image.Pixels, pulled[i].Image.Pixels);
        Assert.Equal(2, VideoFrameReader.ReadAtFps(files.Silent, 4).Take(2).Count());
    }

    [Fact]
    public void FramesCanBeScaledToAWidth()
    {
        var first = VideoFrameReader.ReadAtFps(files.WithAudio, 1, width: 80).First();
        Assert.Equal((80, 60), (first.Image.Width, first.Image.Height));
    }

    [Fact]
    public void EvenlySpacedFramesAreTheLinspaceIndicesOfTheFullSequence()
    {
        var all = new List<VideoFrame>();
        VideoFrameReader.ForEachAtFps(files.WithAudio, 25, all.Add); // every frame of the 25 fps stream
        Assert.Equal(50, all.Count);
        var picked = VideoFrameReader.ReadEvenlySpaced(files.WithAudio, 30);
        Assert.Equal(30, picked.Count);
        for (var i = 0; i < 30; i++)
        {
            var index = (int)Math.Floor(i * 49.0 / 29.0); // np.linspace(0, 49, 30).astype(int)
            Assert.Equal(i, picked[i].Index);
            Assert.Equal(index / 25.0, picked[i].Timestamp, 1e-9);
            Assert.Equal(all[index].Image.Pixels, picked[i].Image.Pixels);
        }
        Assert.Equal(50, VideoFrameReader.CountFrames(files.WithAudio));
    }

    [Fact]
    public void MoreFramesThanTheVideoHasRepeatsFrames()
    {
        var picked = VideoFrameReader.ReadEvenlySpaced(files.Silent, 60);
        Assert.Equal(60, picked.Count);
        Assert.Equal(picked[0].Image.Pixels, picked[1].Image.Pixels); // floor(1 * 49 / 59) = 0
        Assert.Equal(49 / 25.0, picked[^1].Timestamp, 1e-9);
    }

    [Fact]
    public void BadInputsNameTheFile()
    {
        var missing = Assert.Throws<MediaFormatException>(() => VideoFrameReader.ReadAtFps(files.Missing, 4).ToList());
        Assert.Equal(files.Missing, missing.Path);
        var text = Assert.Throws<MediaFormatException>(() => VideoFrameReader.ReadEvenlySpaced(files.TextAsMp4, 30));
        Assert.Equal(files.TextAsMp4, text.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoFrameReader.ForEachAtFps(files.Silent, 0, _ => { }));
    }
}
