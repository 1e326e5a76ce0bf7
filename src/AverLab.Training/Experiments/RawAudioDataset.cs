using AverLab.Data.Labels;
using AverLab.Data.Loading;
using AverLab.Media.Audio;
using AverLab.FrontEnds;

namespace AverLab.Training.Experiments;

/// <summary>Training clips as raw, fixed-length waveforms (loaded once, kept in memory) for augmentations that
/// act on audio before the features are computed.</summary>
public sealed class RawAudioDataset(IReadOnlyList<LabeledItem> items, ClipMfccExtractor extractor) : IDataset
{
    private readonly float[]?[] cache = new float[]?[items.Count];

    public int Count => items.Count;

    public Example Get(int index)
    {
        var wave = cache[index] ??= AudioLoader.FitLength(
            AudioLoader.Load(items[index].Item.Path, FrontEnds.AudioCleaning.Apply(extractor.Settings, new AudioLoadOptions
            {
                SampleRate = extractor.Settings.SampleRate, Offset = extractor.Settings.Offset, Duration = extractor.Settings.Duration,
            })).ToMono(), extractor.Samples, LengthPolicy.PadEnd);
        return new Example(wave, [wave.Length], items[index].Label) { Speaker = items[index].Item.Speaker };
    }
}
