using System.Security.Cryptography;
using System.Text;
using AverLab.Data.Features;

namespace AverLab.FrontEnds;

/// <summary>A front end that also computes each face's normalised landmarks (features.landmarks).</summary>
public interface ILandmarkSource : IFeatureExtractor
{
    /// <summary>The landmark rows of a clip: [faces, 136] (faces) or [frames, 272] with deltas (sequences).</summary>
    FeatureArray Landmarks(string path);
}

/// <summary>The extra input of features.landmarks: the 68 x 2 landmark coordinates of each face, normalised by the
/// similarity transform onto the landmark model's mean shape (template units, about 0..1 across the face) — per
/// face crop for kind faces ([faces, 136], one row per training image), per frame with their frame-to-frame
/// deltas for sequences ([frames, 272]). They come out of the primary extractor's pass over the video (each frame
/// is read and its face found once).</summary>
public sealed class LandmarksExtractor(ILandmarkSource source, FeatureConfig f) : IFeatureExtractor
{
    public string Name => $"landmarks{FaceCrops.LandmarkValues(f)}";

    public string ConfigHash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"landmarks-v1|{source.Name}|{source.ConfigHash}|dlib68-mean")))[..16];

    public FeatureArray Extract(string path) => source.Landmarks(path);
}
