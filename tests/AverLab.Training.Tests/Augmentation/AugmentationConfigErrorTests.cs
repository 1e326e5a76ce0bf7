using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.Training.Tests.Experiments;

namespace AverLab.Training.Tests.Augmentation;

/// <summary>Every augmentation config error names the file, line and item, whether the binder finds it
/// (name, range) or the check of features against augmentations does (a transform the examples cannot take is
/// refused, never skipped). Both --dry-run and the real run go through DryRun's checks first.</summary>
[Collection("pipeline")]
public sealed class AugmentationConfigErrorTests(PipelineFixture fx)
{
    public static TheoryData<string, string, int, string> Cases() => new()
    {
        // features.kind, the augmentation section's items, the error's line below "augmentation:", what it says
        { "mfcc", "  audio:\n    - {name: gain, p: 1, range: [-6, 6]}\n    - {name: reverb, range: [0, 1]}", 3, "augmentation.audio[1].name: unknown augmentation 'reverb'" },
        { "mfcc", "  audio:\n    - {name: awgn, p: 1}", 2, "augmentation.audio[0].range: awgn needs range: [low, high]" },
        { "mfcc", "  audio:\n    - {name: gain, range: [6, -6]}", 2, "augmentation.audio[0].range: a range needs [low, high] with low <= high" },
        { "handcrafted", "  audio:\n    - {name: gain, range: [-6, 6]}", 2, "augmentation.audio: waveform augmentations (awgn, gain, time_shift, ...) need features.kind: mfcc, not handcrafted" },
        { "mfcc_stats", "  audio:\n    - {name: freq_mask, range: [0, 4]}", 2, "augmentation.audio: freq_mask and time_mask act on 2-D MFCC/log-mel images" },
        { "mfcc_deltas", "  audio:\n    - {name: time_mask, range: [0, 4]}", 2, "augmentation.audio: freq_mask and time_mask act on 2-D MFCC/log-mel images" },
        { "mfcc", "  image:\n    - {name: gaussian_noise, p: 1, range: [0, 0.1]}", 2, "augmentation.image: image augmentations act on images" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachAugmentationErrorNamesFileAndLine(string kind, string items, int offset, string expected)
    {
        var yaml = fx.Config("aug", 1).Replace("kind: mfcc,", $"kind: {kind},", StringComparison.Ordinal) + "augmentation:\n" + items + "\n";
        var line = yaml.Split('\n').ToList().IndexOf("augmentation:") + 1 + offset;
        var e = Assert.Throws<ConfigException>(() => DryRun.Check(ConfigLoader.FromText(yaml, "aug.yaml")));
        Assert.StartsWith($"aug.yaml:{line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
