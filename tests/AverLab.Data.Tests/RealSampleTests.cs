using AverLab.Data.Corpora;
using AverLab.Data.Features;
using AverLab.Media.Features;

namespace AverLab.Data.Tests;

/// <summary>Reads ../shared/data/ravdess-speech-sample (120 real RAVDESS wavs) when it sits beside the repository;
/// skipped, with the reason, in a clone without it.</summary>
public sealed class RealSampleTests
{
    internal static string? SampleRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "ravdess-speech-sample");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    [SharedSampleFact]
    public void ReadsTheRealRavdessSample()
    {
        var root = SampleRoot()!;
        var r = RavdessCorpus.Read(root);
        Assert.Empty(r.Report.Skipped);
        Assert.Equal(120, r.Items.Count);
        Assert.Equal(["ravdess-01", "ravdess-02"], r.Items.Select(i => i.Speaker!).Distinct().Order().ToArray());
        Assert.Equal(8, r.Items.Select(i => i.Emotion).Distinct().Count());
        using var mfcc = new MfccFeatureExtractor(MfccOptions.CnnTransformerSeed);
        var f = mfcc.Extract(r.Items[0].Path);
        Assert.Equal(40, f.Shape[1]);
        Assert.InRange(f.Shape[0], 200, 400); // ~3-4 s at hop 512 / 48 kHz
    }
}

/// <summary>A fact that reads ../shared/data: skipped, with the reason, in a clone without it.</summary>
public sealed class SharedSampleFactAttribute : FactAttribute
{
    public SharedSampleFactAttribute()
    {
        if (RealSampleTests.SampleRoot() == null) Skip = "../shared/data/ravdess-speech-sample is absent (only the team machine has it)";
    }
}
