using System.Collections.Concurrent;
using System.Security.Cryptography;
using AverLab.Media.Audio;

namespace AverLab.FrontEnds;

/// <summary>The audio cleaning of features.denoise and features.trim_top_db, applied to every clip right after it is
/// loaded and resampled, before any feature — in training, evaluation and inference alike (model.json records the
/// settings): stationary spectral gating (<see cref="SpectralGate"/>, noisereduce's stationary variant, noise
/// statistics from features.denoise_noise_clip or the clip's quietest frames), then librosa.effects.trim.</summary>
public static class AudioCleaning
{
    private static readonly ConcurrentDictionary<(string, int), float[]> NoiseClips = new();

    /// <summary>The gate's settings, or null when features.denoise is none.</summary>
    public static SpectralGateOptions? Gate(FeatureConfig f) => f.Denoise switch
    {
        "none" => null,
        "spectral_gate" => new SpectralGateOptions { NStd = f.DenoiseNStd, PropDecrease = f.DenoisePropDecrease },
        _ => throw new ArgumentException($"features.denoise: '{f.Denoise}' is not supported (none, spectral_gate)"),
    };

    /// <summary><paramref name="o"/> with the config's cleaning.</summary>
    public static AudioLoadOptions Apply(FeatureConfig f, AudioLoadOptions o) =>
        o with { Denoise = Gate(f), DenoiseNoise = NoiseClip(f), TrimTopDb = f.TrimTopDb };

    /// <summary>Cleans samples already at features.sample_rate (a window of a long file at inference): the same steps
    /// as <see cref="Apply"/> does at load time. An all-silent window stays as it is rather than becoming empty.</summary>
    public static float[] Clean(FeatureConfig f, float[] mono)
    {
        var y = Gate(f) is { } gate && mono.Length > 0 ? SpectralGate.Reduce(mono, f.SampleRate, gate, NoiseClip(f), NoiseClip(f) != null) : mono;
        if (f.TrimTopDb is { } top)
        {
            var (s, e) = SilenceTrimmer.NonSilentRange(y, top);
            if (e > s) y = y[s..e];
        }
        return y;
    }

    /// <summary>What the cleaning does, for feature-cache keys: a change of setting (or of the noise clip's content)
    /// recomputes the features.</summary>
    public static string Key(FeatureConfig f)
    {
        var gate = f.Denoise == "none" ? "none"
            : $"gate|{f.DenoiseNStd}|{f.DenoisePropDecrease}|{(string.IsNullOrEmpty(f.DenoiseNoiseClip) ? "quiet" : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f.DenoiseNoiseClip)))[..16])}";
        return f.TrimTopDb is { } top ? $"{gate}|trim{top}" : gate;
    }

    /// <summary>The noise clip at the feature rate, mono, loaded once per process.</summary>
    private static float[]? NoiseClip(FeatureConfig f) =>
        f.Denoise == "none" || string.IsNullOrEmpty(f.DenoiseNoiseClip) ? null
            : NoiseClips.GetOrAdd((Path.GetFullPath(f.DenoiseNoiseClip), f.SampleRate),
                k => AudioLoader.Load(k.Item1, new AudioLoadOptions { SampleRate = k.Item2 }).ToMono());
}
