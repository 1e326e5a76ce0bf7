using System.Globalization;
using AverLab.Data.Loading;
using AverLab.Training.Configuration;

namespace AverLab.Training.Augmentation;

/// <summary>The `augmentation:` section as a loader hook: each configured transform runs with its probability p,
/// drawing its parameter uniformly from its range, on the training split only. Waveform transforms (awgn, gain,
/// time_shift, speed, time_stretch, pitch_shift) need raw audio and are applied before the features are
/// computed; feature transforms (freq_mask, time_mask) after; image transforms on pixel examples.</summary>
public sealed class AugmentationPipeline
{
    public static readonly string[] WaveformNames = ["awgn", "gain", "time_shift", "speed", "time_stretch", "pitch_shift"];
    public static readonly string[] FeatureNames = ["freq_mask", "time_mask"];
    public static readonly string[] ImageNames =
        ["hflip", "rotation", "affine", "brightness", "contrast", "gamma", "gaussian_noise", "blur", "motion_blur", "sharpen", "equalize", "hue", "saturation", "erasing"];

    private readonly List<AugmentConfig> waveform;
    private readonly List<AugmentConfig> features;
    private readonly List<AugmentConfig> image;

    /// <summary>The one statement of what an augmentation item must be: its problem (the item's field and what is
    /// wrong), or null. Read by the config binder (<see cref="AugmentationConfig.Validate"/>, file:line of the item)
    /// and by this pipeline.</summary>
    public static (string Field, string Problem)? FindProblem(AugmentConfig a, IReadOnlyCollection<string> known)
    {
        if (!known.Contains(a.Name)) return ("name", $"unknown augmentation '{a.Name}'; known: {string.Join(", ", known)}");
        if (a.Name is not ("hflip" or "equalize") && a.Range.Count != 2) return ("range", $"{a.Name} needs range: [low, high]");
        if (a.Range.Count == 2 && !(a.Range[0] <= a.Range[1])) return ("range", "a range needs [low, high] with low <= high");
        return null;
    }

    /// <summary>The names each list takes.</summary>
    public static IReadOnlyList<string> Known(string list) => list == "image" ? ImageNames : [.. WaveformNames, .. FeatureNames];

    /// <summary>Builds the pipeline of a bound config. A config that did not pass through the binder gets the same
    /// checks, as a <see cref="ConfigValueException"/> at the item (file:line once run inside ConfigLoader.Loaded.At).</summary>
    public AugmentationPipeline(AugmentationConfig config)
    {
        foreach (var (list, items) in new[] { ("audio", config.Audio), ("image", config.Image) })
            for (var i = 0; i < items.Count; i++)
                if (FindProblem(items[i], Known(list)) is { } p)
                    throw new ConfigValueException($"augmentation.{list}[{i}].{p.Field}", p.Problem);
        waveform = config.Audio.Where(a => WaveformNames.Contains(a.Name)).ToList();
        features = config.Audio.Where(a => FeatureNames.Contains(a.Name)).ToList();
        image = config.Image;
    }

    public bool NeedsWaveform => waveform.Count > 0;
    /// <summary>freq_mask/time_mask: they act on 2-D feature images (MFCC, log-mel).</summary>
    public bool HasFeatureMasks => features.Count > 0;
    /// <summary>Image transforms: they act on 3-D examples (channels x height x width).</summary>
    public bool HasImageTransforms => image.Count > 0;
    public bool IsEmpty => waveform.Count == 0 && features.Count == 0 && image.Count == 0;

    private static double Draw(AugmentConfig a, Random rng) => a.Range.Count == 2 ? a.Range[0] + rng.NextDouble() * (a.Range[1] - a.Range[0]) : 0;

    public float[] Waveform(float[] x, int sampleRate, Random rng)
    {
        foreach (var a in waveform)
        {
            if (rng.NextDouble() >= a.P) continue;
            var v = Draw(a, rng);
            x = a.Name switch
            {
                "awgn" => AudioAugment.Awgn(x, v, rng),
                "gain" => AudioAugment.Gain(x, v),
                "time_shift" => AudioAugment.Shift(x, (int)Math.Round(v * sampleRate)),
                "speed" => AudioAugment.Speed(x, v),
                "time_stretch" => AudioAugment.TimeStretch(x, v, sampleRate, x.Length),
                "pitch_shift" => AudioAugment.PitchShift(x, v, sampleRate),
                _ => x,
            };
        }
        return x;
    }

    public float[] Features(float[] x, int rows, Random rng)
    {
        foreach (var a in features)
        {
            if (rng.NextDouble() >= a.P) continue;
            var width = (int)Math.Round(Draw(a, rng));
            x = a.Name == "freq_mask" ? SpecAugment.FrequencyMask(x, rows, width, rng) : SpecAugment.TimeMask(x, rows, width, rng);
        }
        return x;
    }

    public Example Image(Example e, Random rng)
    {
        if (image.Count == 0 || e.Shape.Length != 3) return e;
        int c = (int)e.Shape[0], h = (int)e.Shape[1], w = (int)e.Shape[2];
        var x = e.Data;
        foreach (var a in image)
        {
            if (rng.NextDouble() >= a.P) continue;
            var v = Draw(a, rng);
            x = a.Name switch
            {
                "hflip" => ImageAugment.HorizontalFlip(x, c, h, w),
                "rotation" => ImageAugment.Affine(x, c, h, w, v),
                "affine" => ImageAugment.Affine(x, c, h, w, v, 1 + (rng.NextDouble() - 0.5) * 0.1, (rng.NextDouble() - 0.5) * 0.1 * w, (rng.NextDouble() - 0.5) * 0.1 * h),
                "brightness" => ImageAugment.Photometric(x, brightness: v),
                "contrast" => ImageAugment.Photometric(x, contrast: v),
                "gamma" => ImageAugment.Photometric(x, gamma: v),
                "gaussian_noise" => ImageAugment.GaussianNoise(x, v, rng),
                "blur" => ImageAugment.GaussianBlur(x, c, h, w, v),
                "motion_blur" => ImageAugment.MotionBlur(x, c, h, w, (int)Math.Round(v)),
                "sharpen" => ImageAugment.Sharpen(x, c, h, w, v),
                "equalize" => ImageAugment.Equalize(x, c, h, w, a.Range.Count == 2 ? v : 2.0),
                "erasing" => ImageAugment.Erase(x, c, h, w, v, rng),
                "hue" when c == 3 => ImageAugment.HueSaturation(x, h, w, v, 1),
                "saturation" when c == 3 => ImageAugment.HueSaturation(x, h, w, 0, v),
                _ => x,
            };
        }
        return e with { Data = x };
    }

    public override string ToString() => string.Join(", ", waveform.Concat(features).Concat(image).Select(a =>
        string.Create(CultureInfo.InvariantCulture, $"{a.Name}(p={a.P})")));
}
