using AverLab.Media.Features;

namespace AverLab.FrontEnds;

/// <summary>Names of the values of a feature vector as a model reads it, for attribution tables and figures.</summary>
public static class FeatureNaming
{
    /// <summary>PCA components pc0, pc1, ... when the run projects its features (<paramref name="projected"/>); else the
    /// hand-crafted statistics' own names, the AV statistics' MFCC means and face features, otherwise f0, f1, ...</summary>
    public static string[] Of(FeatureConfig f, int width, bool projected = false)
    {
        if (projected) return Enumerable.Range(0, width).Select(j => $"pc{j}").ToArray();
        if (f.Kind == FeatureKind.Handcrafted && width == HandcraftedFeatures.Names.Count)
            return HandcraftedFeatures.Names.ToArray();
        if (f.Kind == FeatureKind.AvStats && width > f.NMfcc)
            return Enumerable.Range(0, width).Select(j => j < f.NMfcc ? $"mfcc_mean[{j}]" : $"face[{j - f.NMfcc}]").ToArray();
        return Enumerable.Range(0, width).Select(j => $"f{j}").ToArray();
    }
}
