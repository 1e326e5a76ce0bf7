using System.Globalization;
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
    public void FpsSamplingPicksTheFramesFfmpegsFpsFilterPicks()
    {
        // fps=4 over 25 fps: frame n has tick round(n * 4 / 25) (halves up); tick k shows the last frame whose tick
        // is at most k: 3 (t = 0.12 s: 0.48 rounds to 0), 9, 15, 21, 28, 34, 40, 46.
        var all = VideoFrameReader.ReadAtFps(files.WithAudio, 25).ToList();
        var sampled = VideoFrameReader.ReadAtFps(files.WithAudio, 4).ToList();
        int[] expected = [3, 9, 15, 21, 28, 34, 40, 46];
        Assert.Equal(expected.Length, sampled.Count);
        for (var k = 0; k < expected.Length; k++) Assert.Equal(all[expected[k]].Image.Pixels, sampled[k].Image.Pixels);
        // Over the 0.52 s gap (frame 19 at 0.76 s, frame 20 at 1.28 s) frame 19 fills ticks 3 and 4 (0.75, 1.0 s);
        // the 2.76 s variable-rate video ends at tick round(2.76 * 4) = 11 (its last frame at 2.72 s, + 0.04 s).
        var vfrAll = VideoFrameReader.ReadEvenlySpaced(files.VariableRate, 50);
        var vfr = VideoFrameReader.ReadAtFps(files.VariableRate, 4).ToList();
        int[] vfrExpected = [3, 9, 15, 19, 19, 22, 28, 32, 34, 40, 46];
        Assert.Equal(vfrExpected.Length, vfr.Count);
        for (var k = 0; k < vfrExpected.Length; k++) Assert.Equal(vfrAll[vfrExpected[k]].Image.Pixels, vfr[k].Image.Pixels);
        Assert.Equal(0.76, vfrAll[19].Timestamp, 1e-9);
        Assert.Equal(1.28, vfrAll[20].Timestamp, 1e-9);
    }

    /// <summary>An earlier reader piped ffmpeg's rgb24 output (`-vf fps=F`). The decoder decodes the same frames with
    /// the same FFmpeg libraries and converts YUV to RGB with swscale too: same frame count, and pixels within 3
    /// levels (the CLI's scale filter and the decoder's swscale call differ in flags).</summary>
    [Theory]
    [InlineData(4.0)]
    [InlineData(8.9)]
    [InlineData(25.0)]
    public void FramesMatchFfmpegsRgb24PipeWithinThreeLevels(double fps)
    {
        foreach (var video in new[] { files.WithAudio, files.VariableRate, files.Ntsc })
        {
            var rate = fps.ToString("R", CultureInfo.InvariantCulture);
            var ffmpeg = AverLab.Media.Ffmpeg.Run(AverLab.Media.Ffmpeg.FfmpegPath,
                ["-v", "error", "-nostdin", "-i", video, "-map", "0:v:0", "-vf", $"fps={rate}", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], video);
            var frames = VideoFrameReader.ReadAtFps(video, fps).ToList();
            const int frameBytes = 160 * 120 * 3;
            Assert.Equal(ffmpeg.Length / frameBytes, frames.Count);
            long sum = 0;
            var max = 0;
            for (var k = 0; k < frames.Count; k++)
            {
                var px = frames[k].Image.Pixels;
                for (var i = 0; i < frameBytes; i++)
                {
                    var d = Math.Abs(px[i] - ffmpeg[k * frameBytes + i]);
                    sum += d;
                    max = Math.Max(max, d);
                }
            }
            Assert.InRange(max, 0, 3);
            Assert.InRange(sum / (double)ffmpeg.Length, 0, 1.0);
        }
    }

    /// <summary>Rotation metadata is applied as ffmpeg applies it (autorotate): the frames come out turned, with
    /// width and height swapped at 90 and 270 degrees, equal to ffmpeg's rgb24 output within 3 levels.</summary>
    [Theory]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(270)]
    public void RotationMetadataTurnsTheFramesAsFfmpegDoes(int degrees)
    {
        var video = files.Rotated[degrees];
        var ffmpeg = AverLab.Media.Ffmpeg.Run(AverLab.Media.Ffmpeg.FfmpegPath,
            ["-v", "error", "-nostdin", "-i", video, "-map", "0:v:0", "-vf", "fps=4", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], video);
        var frames = VideoFrameReader.ReadAtFps(video, 4).ToList();
        var (w, h) = degrees == 180 ? (160, 120) : (120, 160);
        Assert.All(frames, f => Assert.Equal((w, h), (f.Image.Width, f.Image.Height)));
        var frameBytes = w * h * 3;
        Assert.Equal(ffmpeg.Length / frameBytes, frames.Count);
        for (var k = 0; k < frames.Count; k++)
        {
            var px = frames[k].Image.Pixels;
            for (var i = 0; i < frameBytes; i++)
                Assert.True(Math.Abs(px[i] - ffmpeg[k * frameBytes + i]) <= 3, $"frame {k}, byte {i}: {px[i]} vs ffmpeg's {ffmpeg[k * frameBytes + i]}");
        }
        // Evenly spaced frames and scaling to a width go through the same turn.
        Assert.Equal((w, h), (VideoFrameReader.ReadEvenlySpaced(video, 3)[0].Image.Width, VideoFrameReader.ReadEvenlySpaced(video, 3)[0].Image.Height));
        var scaled = VideoFrameReader.ReadAtFps(video, 1, width: w / 2).First();
        Assert.Equal((w / 2, h / 2), (scaled.Image.Width, scaled.Image.Height));
    }

    /// <summary>A resolution change mid-stream: every frame comes out at the stream's first size (the smaller ones
    /// scaled up), none is lost.</summary>
    [Fact]
    public void FramesAfterAResolutionChangeKeepTheStreamsSize()
    {
        Assert.Equal(50, VideoFrameReader.CountFrames(files.Resized));
        var all = VideoFrameReader.ReadEvenlySpaced(files.Resized, 50);
        Assert.Equal(50, all.Count);
        Assert.All(all, f => Assert.Equal((160, 120), (f.Image.Width, f.Image.Height)));
        Assert.All(VideoFrameReader.ReadAtFps(files.Resized, 4), f => Assert.Equal((160, 120), (f.Image.Width, f.Image.Height)));
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
        // At 30000/1001 fps the timestamps are the frames' own times, to the microsecond (not whole milliseconds).
        var n = VideoFrameReader.CountFrames(files.Ntsc);
        var ntsc = VideoFrameReader.ReadEvenlySpaced(files.Ntsc, 3);
        Assert.Equal(60, n);
        Assert.Equal([0, 29 * 1.001 / 30, 59 * 1.001 / 30], ntsc.Select(f => f.Timestamp), (a, b) => Math.Abs(a - b) < 1e-6);
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

    [Fact]
    public void AudioOnlyTruncatedAndCorruptFilesAreErrorsNamingTheFile()
    {
        var audio = Assert.Throws<MediaFormatException>(() => VideoFrameReader.ReadAtFps(files.AudioOnly, 4).ToList());
        Assert.Equal((files.AudioOnly, "no video stream"), (audio.Path, audio.Problem));
        Assert.Equal("no video stream", Assert.Throws<MediaFormatException>(() => VideoFrameReader.ReadEvenlySpaced(files.AudioOnly, 5)).Problem);

        // Index first, 40 % of the bytes: the container lists 50 frames, the demuxer finds fewer.
        foreach (var read in new Action[]
                 {
                     () => VideoFrameReader.ReadAtFps(files.Truncated, 4).ToList(),
                     () => VideoFrameReader.ReadEvenlySpaced(files.Truncated, 30),
                     () => VideoFrameReader.CountFrames(files.Truncated),
                 })
        {
            var e = Assert.Throws<MediaFormatException>(read);
            Assert.Equal(files.Truncated, e.Path);
            Assert.StartsWith("truncated: the container lists 50 video frames, the file holds ", e.Problem);
        }

        // A packet FFmpeg refuses (the 26th in decode order): decoding stops there, a few frames earlier in
        // presentation order (B-frames are reordered; 23 here).
        var corrupt = Assert.Throws<MediaFormatException>(() => VideoFrameReader.ReadEvenlySpaced(files.Corrupt, 30));
        Assert.Equal(files.Corrupt, corrupt.Path);
        Assert.Matches("^corrupt: decoding stopped after 2[0-5] of 50 video frames$", corrupt.Problem);
        // The lazy reader hands out the frames before the damage, then fails.
        var seen = 0;
        Assert.Throws<MediaFormatException>(() => { foreach (var _ in VideoFrameReader.ReadAtFps(files.Corrupt, 25)) seen++; });
        Assert.InRange(seen, 20, 25);
    }
}
