using AverLab.Media.Images;

namespace AverLab.Media.Tests;

/// <summary>Real photos shipped by Debian (installed by scripts/setup.sh) and scratch files for vision tests.</summary>
internal static class VisionTestData
{
    public const string Messi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";      // opencv-doc
    public const string Astronaut = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"; // python3-skimage
    public const string Fruits = "/usr/share/doc/opencv-doc/examples/data/fruits.jpg";     // opencv-doc: no face

    public static RgbImage Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"test photo {path} is missing; install the test packages with: sudo bash scripts/setup.sh", path);
        return ImageCodec.Load(path);
    }

    /// <summary>A fresh directory under the system temp folder, deleted by Dispose.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "averlab-vision-" + Guid.NewGuid().ToString("N"));

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>Runs ffmpeg to make a test input; fails the test with ffmpeg's message if it cannot.</summary>
    public static void Ffmpeg(params string[] args) =>
        AverLab.Media.Ffmpeg.Run(AverLab.Media.Ffmpeg.FfmpegPath, ["-v", "error", "-nostdin", "-y", .. args], "(test input)");
}
