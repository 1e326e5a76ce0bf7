using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using AverLab.Data.Features;
using AverLab.Media;
using AverLab.Media.Images;
using AverLab.Media.Video;

namespace AverLab.FrontEnds;

/// <summary>The video seeds' front end (LRCN, ConvLSTM): N evenly spaced frames (np.linspace indices, as the
/// seeds pick them), resized to size x size with area interpolation, scaled to [0, 1], as
/// [frames, channels, size, size] (channels 1 with features.grayscale). With features.align: landmarks each frame
/// is instead the landmark-aligned crop of its largest face (<see cref="FaceCrops"/>); a frame without a face takes
/// the nearest frame's crop, and a clip without any face fails unless features.no_face is center (whole frames).
/// With features.landmarks the per-frame normalised landmarks and deltas ([frames, 272]) come as an extra input.</summary>
public sealed class VideoFramesExtractor : IFeatureExtractor, ILandmarkSource, IDisposable
{
    private readonly FeatureConfig f;
    private readonly PerThreadFaceDetector? detector;
    private readonly ConcurrentDictionary<string, FeatureArray> landmarks = new();

    public VideoFramesExtractor(FeatureConfig f)
    {
        this.f = f;
        if (FaceCrops.NeedsLandmarks(f)) detector = new PerThreadFaceDetector();
        ConfigHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"video-frames-v1|{f.Frames}|{f.ImageSize}|{f.Grayscale}" +
            (FaceCrops.NeedsLandmarks(f) ? $"|align-{f.Align}-dlib68-mean|{f.NoFace}|{FaceCrops.Margin}" : ""))))[..16];
    }

    public string Name => $"frames{f.Frames}x{f.ImageSize}{(f.Grayscale ? "g" : "")}{(f.Align == "landmarks" ? "a" : "")}";

    public string ConfigHash { get; }

    public FeatureArray Extract(string path)
    {
        var frames = VideoFrameReader.ReadEvenlySpaced(path, f.Frames);
        var s = f.ImageSize;
        var channels = f.Grayscale ? 1 : 3;
        var data = new float[f.Frames * channels * s * s];
        var n = Math.Min(frames.Count, f.Frames);
        float[]?[] faces = new float[n][];
        float[]?[] points = new float[n][];
        if (detector != null)
        {
            if (n == 0) throw new MediaFormatException(path, "no video frames could be decoded");
            for (var i = 0; i < n; i++)
            {
                var gray = frames[i].Image.ToGray();
                if (detector.Largest(gray) is { } box) (faces[i], points[i]) = FaceCrops.Face(frames[i].Image, gray, box, f);
            }
            if (faces.All(c => c == null))
            {
                if (f.NoFace != "center")
                    throw new MediaFormatException(path, $"no face found in any of {n} sampled frames (features.no_face: center uses whole frames instead)");
                faces = new float[n][];                                    // whole frames below
                if (f.Landmarks) for (var i = 0; i < n; i++) points[i] = FaceCrops.TemplateLandmarks();
            }
        }
        var aligned = f.Align == "landmarks" && faces.Any(c => c != null);
        for (var i = 0; i < n; i++)
        {
            var o = i * channels * s * s;
            if (aligned)
            {
                Nearest(faces, i).CopyTo(data, o);                          // FaceCrops' layout: [C, S, S] in [0, 1]
                continue;
            }
            var image = frames[i].Image.Resize(s, s, ResizeMode.Area);
            var px = image.Pixels;
            for (var p = 0; p < s * s; p++)
            {
                if (f.Grayscale)
                    data[o + p] = (0.299f * px[3 * p] + 0.587f * px[3 * p + 1] + 0.114f * px[3 * p + 2]) / 255f;
                else
                    for (var c = 0; c < 3; c++) data[o + c * s * s + p] = px[3 * p + c] / 255f;
            }
        }
        if (f.Landmarks)
        {
            // Frames past the decoded ones (a short clip) repeat the last frame's landmarks, as their pixels stay 0.
            var rows = Enumerable.Range(0, f.Frames).Select(i => Nearest(points, Math.Min(i, n - 1))).ToList();
            landmarks[path] = FeatureArray.Create(FaceCrops.WithDeltas(rows), f.Frames, 272);
        }
        return FeatureArray.Create(data, f.Frames, channels, s, s);
    }

    /// <summary>The landmark rows computed with the frames of <paramref name="path"/> (taken), or computed now.</summary>
    public FeatureArray Landmarks(string path)
    {
        if (landmarks.TryRemove(path, out var done)) return done;
        Extract(path);
        return landmarks.TryRemove(path, out done) ? done : throw new InvalidOperationException($"{path}: no landmarks were computed (features.landmarks is off)");
    }

    private static float[] Nearest(float[]?[] rows, int i)
    {
        for (var d = 0; d < rows.Length; d++)
        {
            if (i - d >= 0 && rows[i - d] is { } before) return before;
            if (i + d < rows.Length && rows[i + d] is { } after) return after;
        }
        throw new InvalidOperationException("no row to fill from");
    }

    public void Dispose() => detector?.Dispose();
}
