using System.Security.Cryptography;
using System.Text;
using AverLab.Data.Features;
using AverLab.Media;
using AverLab.Media.Faces;
using AverLab.Media.Video;

namespace AverLab.FrontEnds;

/// <summary>Face crops of features.frames evenly spaced frames of a video (<see cref="FaceCrops"/>), as
/// [n, C, S, S]. <see cref="FixedLength"/> false (features.kind faces): only frames with a face, each later one
/// training image. True (the fusion model's frame sequence): always n = features.frames rows, a frame without a
/// face taking the crop of the nearest frame with one. A video with no face at all fails (the cache reports and
/// skips it) unless features.no_face is "center", which uses the frame's centre square instead.</summary>
public sealed class FaceCropsExtractor : IFeatureExtractor, ILandmarkSource, IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FeatureArray> landmarks = new();
    private readonly FeatureConfig f;
    private readonly PerThreadFaceDetector detector = new();

    public FaceCropsExtractor(FeatureConfig f, bool fixedLength)
    {
        if (f.NoFace is not ("skip" or "center"))
            throw new ArgumentException($"features.no_face: '{f.NoFace}' is not supported (skip, center)");
        this.f = f;
        FixedLength = fixedLength;
        ConfigHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"face-crops-v1|{f.Frames}|{f.ImageSize}|{FaceCrops.Channels(f)}|{f.NoFace}|{fixedLength}|haar-default|{FaceCrops.Margin}" +
            (f.Align == "none" ? "" : $"|align-{f.Align}-dlib68-mean"))))[..16];
    }

    public bool FixedLength { get; }
    public string Name => $"faces{f.Frames}x{f.ImageSize}{(FaceCrops.Channels(f) == 1 ? "g" : "")}{(FixedLength ? "" : "u")}{(f.Align == "landmarks" ? "a" : "")}";
    public string ConfigHash { get; }

    public FeatureArray Extract(string path)
    {
        var frames = VideoFrameReader.ReadEvenlySpaced(path, f.Frames);
        if (frames.Count == 0) throw new MediaFormatException(path, "no video frames could be decoded");
        var crops = new float[]?[frames.Count];
        var points = new float[]?[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            var gray = frames[i].Image.ToGray();
            if (detector.Largest(gray) is { } box) (crops[i], points[i]) = FaceCrops.Face(frames[i].Image, gray, box, f);
        }
        var found = crops.Count(c => c != null);
        if (found == 0)
        {
            if (f.NoFace != "center")
                throw new MediaFormatException(path, $"no face found in any of {frames.Count} sampled frames (features.no_face: center uses the frame centre instead)");
            for (var i = 0; i < frames.Count; i++) crops[i] = FaceCrops.Centre(frames[i].Image, frames[i].Image.ToGray(), f);
            if (f.Landmarks) for (var i = 0; i < frames.Count; i++) points[i] = FaceCrops.TemplateLandmarks();
        }
        var size = FaceCrops.Channels(f) * f.ImageSize * f.ImageSize;
        List<float[]> rows;
        List<float[]> lmRows = [];
        if (!FixedLength)
        {
            rows = crops.OfType<float[]>().ToList();
            if (f.Landmarks) lmRows = points.OfType<float[]>().ToList();
        }
        else
        {
            rows = [];
            for (var i = 0; i < f.Frames; i++)
            {
                rows.Add(Nearest(crops, Math.Min(i, crops.Length - 1)));
                if (f.Landmarks) lmRows.Add(Nearest(points, Math.Min(i, points.Length - 1)));
            }
        }
        if (f.Landmarks)
            landmarks[path] = FixedLength
                ? FeatureArray.Create(FaceCrops.WithDeltas(lmRows), lmRows.Count, 272)
                : FeatureArray.Create(lmRows.SelectMany(r => r).ToArray(), lmRows.Count, 136);
        var data = new float[rows.Count * size];
        for (var i = 0; i < rows.Count; i++) rows[i].CopyTo(data, i * size);
        return FeatureArray.Create(data, rows.Count, FaceCrops.Channels(f), f.ImageSize, f.ImageSize);
    }

    /// <summary>The landmark rows computed with the crops of <paramref name="path"/> (taken, so each is handed out
    /// once), or computed now.</summary>
    public FeatureArray Landmarks(string path)
    {
        if (landmarks.TryRemove(path, out var done)) return done;
        Extract(path);
        return landmarks.TryRemove(path, out done) ? done : throw new InvalidOperationException($"{path}: no landmarks were computed (features.landmarks is off)");
    }

    private static float[] Nearest(float[]?[] crops, int i)
    {
        for (var d = 0; d < crops.Length; d++)
        {
            if (i - d >= 0 && crops[i - d] is { } before) return before;
            if (i + d < crops.Length && crops[i + d] is { } after) return after;
        }
        throw new InvalidOperationException("no crop to fill from");
    }

    public void Dispose()
    {
        detector.Dispose();
    }
}
