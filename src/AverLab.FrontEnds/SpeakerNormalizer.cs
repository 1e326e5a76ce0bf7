using AverLab.Data.Loading;

namespace AverLab.FrontEnds;

/// <summary>Per-speaker standardization (<c>features.speaker_norm</c>): each speaker's features are standardized
/// with the statistics of that speaker's own utterances (a <see cref="FeatureScaler"/> per speaker: per row of
/// [rows, frames] features, per value of a vector). It removes a speaker's voice level, pitch range and channel
/// before the model sees them, which is what a speaker-independent model most lacks; the statistics need the
/// speaker's clips but never their labels, so at test time they come from the test speaker's own (unlabelled)
/// clips. One speaker's statistics never use another speaker's examples.</summary>
public sealed class SpeakerNormalizer
{
    private readonly Dictionary<string, FeatureScaler> bySpeaker;

    private SpeakerNormalizer(Dictionary<string, FeatureScaler> bySpeaker) => this.bySpeaker = bySpeaker;

    public IReadOnlyDictionary<string, FeatureScaler> Speakers => bySpeaker;

    /// <summary>Fits one scaler per speaker from the examples of <paramref name="set"/> (every example needs its
    /// <see cref="Example.Speaker"/>); labels are not read.</summary>
    public static SpeakerNormalizer Fit(IDataset set)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < set.Count; i++)
        {
            var speaker = set.Get(i).Speaker
                ?? throw new InvalidOperationException("features.speaker_norm needs every item's speaker, and an item has none (use a corpus whose names carry the speaker, or a manifest with a speaker column)");
            if (!groups.TryGetValue(speaker, out var list)) groups[speaker] = list = [];
            list.Add(i);
        }
        return new SpeakerNormalizer(groups.ToDictionary(g => g.Key, g => FeatureScaler.Fit(new Subset(set, g.Value)), StringComparer.Ordinal));
    }

    /// <summary>Statistics of one speaker from that speaker's clips alone (inference: <c>--speaker-clips</c>).</summary>
    public static FeatureScaler FitOne(IReadOnlyList<float[]> examples, long[] shape) =>
        FeatureScaler.Fit(new Listed(examples, shape));

    public float[] Transform(float[] data, string? speaker)
    {
        if (speaker is null || !bySpeaker.TryGetValue(speaker, out var s))
            throw new InvalidOperationException($"features.speaker_norm: no statistics for speaker '{speaker ?? "(none)"}'");
        return s.Transform(data);
    }

    public IDataset Apply(IDataset inner) => new Normalized(inner, this);

    private sealed class Normalized(IDataset inner, SpeakerNormalizer normalizer) : IDataset
    {
        public int Count => inner.Count;

        public Example Get(int index)
        {
            var e = inner.Get(index);
            return e with { Data = normalizer.Transform(e.Data, e.Speaker) };
        }
    }

    private sealed class Subset(IDataset inner, IReadOnlyList<int> indices) : IDataset
    {
        public int Count => indices.Count;
        public Example Get(int index) => inner.Get(indices[index]);
    }

    private sealed class Listed(IReadOnlyList<float[]> examples, long[] shape) : IDataset
    {
        public int Count => examples.Count;
        public Example Get(int index) => new(examples[index], shape, 0);
    }
}
