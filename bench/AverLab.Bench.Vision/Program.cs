// media.frames_read: 4 fps frame reading alone (VideoFrameReader: Debian's FFmpeg libraries through native/vision, frames
// between the samples grabbed but not converted, samples as RGB). media.frames_faces: the same + face detection +
// largest-face 64x64 gray crop, end to end. Frames per second, on a generated 1280x720 video of a face (skimage's
// astronaut, slowly zooming). AverLab only. Usage: dotnet AverLab.Bench.Vision.dll [video.mp4] [--rounds N]
using System.Diagnostics;
using System.Globalization;
using AverLab.Media;
using AverLab.Media.Faces;
using AverLab.Media.Native;
using AverLab.Media.Video;

const string Astronaut = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";
var rounds = 3;
string? video = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds") rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else video = args[i];
}

string? temp = null;
if (video == null)
{
    if (!File.Exists(Astronaut)) { Console.Error.WriteLine($"missing {Astronaut}: sudo bash scripts/setup.sh"); return 1; }
    temp = Path.Combine(Path.GetTempPath(), $"averlab-bench-face-{Environment.ProcessId}.mp4");
    // 10 s, 25 fps, 1280x720: the photo padded to 16:9, zooming in by up to 30% so every frame differs.
    Ffmpeg.Run(Ffmpeg.FfmpegPath,
    [
        "-v", "error", "-nostdin", "-y", "-loop", "1", "-framerate", "25", "-t", "10", "-i", Astronaut,
        "-vf", "pad=ih*16/9:ih:(ow-iw)/2:0,zoompan=z='1+0.0012*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=1280x720:fps=25",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", temp,
    ], temp);
    video = temp;
}

try
{
    var probe = VideoProbe.Read(video);
    Console.Error.WriteLine($"# {VisionLibrary.Versions}; video {probe.Width}x{probe.Height}, {probe.Duration:F1} s, {probe.Fps:F2} fps; {Environment.ProcessorCount} cores");
    using var haar = new HaarFaceDetector();
    using var hog = new HogFaceDetector { Upsample = 0 }; // faces here are > 80 px: no upsampling needed
    Run("media.frames_read", null, video, rounds, width: null);
    Run("media.frames_faces", new FaceExtractor(haar), video, rounds, width: null);
    Run("media.frames_faces_hog", new FaceExtractor(hog), video, rounds, width: null);
    // The usual speed lever: frames scaled to 640 wide (cv2.INTER_AREA) before detection (Haar cost grows with pixels).
    Run("media.frames_faces_640", new FaceExtractor(haar), video, rounds, width: 640);
    return 0;
}
finally
{
    if (temp != null) File.Delete(temp);
}

static void Run(string name, FaceExtractor? extractor, string video, int rounds, int? width)
{
    var best = 0.0;
    int frames = 0, found = 0;
    for (var r = 0; r <= rounds; r++) // round 0 warms up (JIT, page cache, OpenCV's first allocations)
    {
        frames = found = 0;
        var sw = Stopwatch.StartNew();
        foreach (var frame in VideoFrameReader.ReadAtFps(video, 4, width))
        {
            frames++;
            if (extractor != null && extractor.Extract(frame.Image).Found) found++;
        }
        sw.Stop();
        if (r > 0) best = Math.Max(best, frames / sw.Elapsed.TotalSeconds);
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name} averlab={best:F2} unit=frames_per_s frames={frames} found={found} detector={extractor?.Detector.GetType().Name ?? "none"} width={(width?.ToString(CultureInfo.InvariantCulture) ?? "native")}"));
}
