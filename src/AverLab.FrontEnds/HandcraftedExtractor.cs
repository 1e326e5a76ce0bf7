using System.Security.Cryptography;
using System.Text;
using AverLab.Data.Features;
using AverLab.Media.Audio;
using AverLab.Media.Features;

namespace AverLab.FrontEnds;

/// <summary>The hand-crafted-feature seed's 1020-value statistical vector (Media's <see cref="HandcraftedFeatures"/>)
/// of a clip loaded at the configured rate, offset and duration; standardized by the pipeline's scaler.</summary>
public sealed class HandcraftedExtractor(FeatureConfig f) : ISampleFeatureExtractor
{
    private readonly AudioLoadOptions load = AudioCleaning.Apply(f, new AudioLoadOptions { SampleRate = f.SampleRate, Offset = f.Offset, Duration = f.Duration });

    public string Name => "handcrafted1020";

    public string ConfigHash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"handcrafted-v1|{f.SampleRate}|{f.Offset}|{f.Duration}" + (AudioCleaning.Key(f) is var c && c != "none" ? "|" + c : ""))))[..16];

    public FeatureArray Extract(string path)
    {
        var y = AudioLoader.Load(path, load).ToMono();
        return ExtractSamples(y);
    }

    public FeatureArray ExtractSamples(float[] mono)
    {
        var v = HandcraftedFeatures.Extract(mono, f.SampleRate);
        return FeatureArray.Create(v, 1, v.Length);
    }
}
