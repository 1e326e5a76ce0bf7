using System.Security.Cryptography;
using System.Text;
using AverLab.Data.Features;
using AverLab.Media.Images;
using AverLab.Media.Video;

namespace AverLab.FrontEnds;

/// <summary>The video seeds' front end (LRCN, ConvLSTM): N evenly spaced frames (np.linspace indices, as the
/// seeds pick them), resized to size x size with area interpolation, scaled to [0, 1], as
/// [frames, channels, size, size] (channels 1 with features.grayscale).</summary>
public sealed class VideoFramesExtractor(FeatureConfig f) : IFeatureExtractor
{
    public string Name => $"frames{f.Frames}x{f.ImageSize}{(f.Grayscale ? "g" : "")}";

    public string ConfigHash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"video-frames-v1|{f.Frames}|{f.ImageSize}|{f.Grayscale}")))[..16];

    public FeatureArray Extract(string path)
    {
        var frames = VideoFrameReader.ReadEvenlySpaced(path, f.Frames);
        var s = f.ImageSize;
        var channels = f.Grayscale ? 1 : 3;
        var data = new float[f.Frames * channels * s * s];
        for (var i = 0; i < frames.Count && i < f.Frames; i++)
        {
            var image = frames[i].Image.Resize(s, s, ResizeMode.Area);
            var px = image.Pixels;
            var o = i * channels * s * s;
            for (var p = 0; p < s * s; p++)
            {
                if (f.Grayscale)
                    data[o + p] = (0.299f * px[3 * p] + 0.587f * px[3 * p + 1] + 0.114f * px[3 * p + 2]) / 255f;
                else
                    for (var c = 0; c < 3; c++) data[o + c * s * s + p] = px[3 * p + c] / 255f;
            }
        }
        return FeatureArray.Create(data, f.Frames, channels, s, s);
    }
}
