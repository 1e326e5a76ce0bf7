using AverLab.Data.Features;

namespace AverLab.FrontEnds;

/// <summary>An audio front end that also computes its features from samples already at the configured rate (a window
/// of a long file at inference), laid out as its <see cref="IFeatureExtractor.Extract"/> does.</summary>
public interface ISampleFeatureExtractor : IFeatureExtractor
{
    FeatureArray ExtractSamples(float[] mono);
}
