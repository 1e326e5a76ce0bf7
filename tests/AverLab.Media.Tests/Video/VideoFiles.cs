namespace AverLab.Media.Tests.Video;

/// <summary>Small videos made once per test class with ffmpeg's lavfi sources: 2 s of testsrc at 25 fps
/// (50 frames, 160x120), with a 440 Hz sine track (44.1 kHz) or without audio; plus a text file named .mp4.</summary>
public sealed class VideoFiles : IDisposable
{
    private readonly VisionTestData.TempDir _dir = new();

    public VideoFiles()
    {
        WithAudio = _dir.File("av.mp4");
        VisionTestData.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=2",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", WithAudio);
        Silent = _dir.File("silent.mp4");
        VisionTestData.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=2",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", Silent);
        TextAsMp4 = _dir.File("notes.mp4");
        File.WriteAllText(TextAsMp4, "these are my notes, not a video\n");
    }

    public string WithAudio { get; }
    public string Silent { get; }
    public string TextAsMp4 { get; }
    public string Missing => _dir.File("missing.mp4");

    public void Dispose() => _dir.Dispose();
}
