using System.Globalization;

namespace AverLab.Media.Tests.Video;

/// <summary>Small videos made once per test class with ffmpeg's lavfi sources: 2 s of testsrc at 25 fps
/// (50 frames, 160x120), with a 440 Hz sine track (44.1 kHz) or without audio (and that one with rotation metadata of
/// 90, 180 and 270 degrees); the same 50 frames at a variable
/// rate (gaps of 12 and 7 frame intervals after frames 19 and 32: 2.76 s); an audio-only m4a; the silent video
/// with its index first (faststart) cut after 40 % of its bytes, and with one frame's NAL length made impossible;
/// plus a text file named .mp4.</summary>
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
        VariableRate = _dir.File("vfr.mp4");
        VisionTestData.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=2",
            "-vf", "setpts='(N+if(gte(N,20),12,0)+if(gte(N,33),7,0))/25/TB'", "-fps_mode", "vfr",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", VariableRate);
        Ntsc = _dir.File("ntsc.mp4");
        VisionTestData.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=30000/1001:duration=2",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", Ntsc);
        foreach (var degrees in new[] { 90, 180, 270 })
        {
            // A phone held sideways: the same frames, with a display matrix asking players to turn them.
            Rotated[degrees] = _dir.File($"rotated{degrees}.mp4");
            VisionTestData.Ffmpeg("-i", Silent, "-c", "copy", "-metadata:s:v:0", $"rotate={degrees}", Rotated[degrees]);
        }
        // A stream whose resolution changes halfway (an MPEG-TS of two H.264 parts: 160x120, then 80x60).
        var first = _dir.File("first.ts");
        VisionTestData.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mpegts", first);
        var second = _dir.File("second.ts");
        VisionTestData.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=80x60:rate=25:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-output_ts_offset", "1", "-f", "mpegts", second);
        Resized = _dir.File("resized.ts");
        File.WriteAllBytes(Resized, [.. File.ReadAllBytes(first), .. File.ReadAllBytes(second)]);
        AudioOnly = _dir.File("voice.m4a");
        VisionTestData.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1", "-c:a", "aac", AudioOnly);
        var faststart = _dir.File("faststart.mp4");
        VisionTestData.Ffmpeg("-i", Silent, "-c", "copy", "-movflags", "+faststart", faststart);
        var bytes = File.ReadAllBytes(faststart);
        Truncated = _dir.File("truncated.mp4");
        File.WriteAllBytes(Truncated, bytes[..(bytes.Length * 2 / 5)]);
        // Frame 25's first NAL unit claims 0xFFFFFF7F bytes: FFmpeg refuses the packet, OpenCV stops there.
        var positions = System.Text.Encoding.ASCII.GetString(AverLab.Media.Ffmpeg.Run(AverLab.Media.Ffmpeg.FfprobePath,
                ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pos", "-of", "csv=p=0", faststart], faststart))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var at = positions[25];
        bytes[at] = 0xFF; bytes[at + 1] = 0xFF; bytes[at + 2] = 0xFF; bytes[at + 3] = 0x7F;
        Corrupt = _dir.File("corrupt.mp4");
        File.WriteAllBytes(Corrupt, bytes);
        TextAsMp4 = _dir.File("notes.mp4");
        File.WriteAllText(TextAsMp4, "these are my notes, not a video\n");
    }

    public string WithAudio { get; }
    public string Silent { get; }
    public string VariableRate { get; }
    /// <summary>testsrc at 30000/1001 fps (frame times are not whole milliseconds).</summary>
    public string Ntsc { get; }
    /// <summary>The silent video with rotation metadata of 90, 180 and 270 degrees (clockwise).</summary>
    public Dictionary<int, string> Rotated { get; } = [];
    /// <summary>25 frames of 160x120, then 25 of 80x60, in one MPEG-TS stream.</summary>
    public string Resized { get; }
    public string AudioOnly { get; }
    public string Truncated { get; }
    public string Corrupt { get; }
    public string TextAsMp4 { get; }
    public string Missing => _dir.File("missing.mp4");

    public void Dispose() => _dir.Dispose();
}
