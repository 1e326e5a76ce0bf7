namespace AverLab.Data.Corpora;

/// <summary>One example of a corpus: its file, the corpus's own (native) label, the unified emotion it maps to, the
/// speaker (null where a corpus has none, e.g. FER2013) and the corpus-specific parsed name in <see cref="Details"/>
/// (a <see cref="RavdessName"/>, <see cref="CremaDName"/>, ...). Frames of FER2013's CSV variant carry their pixels in
/// <see cref="Fer2013Row"/> and have a synthetic path "fer2013.csv#row".</summary>
public sealed record CorpusItem(string Path, string Corpus, string NativeLabel, Emotion? Emotion, string? Speaker)
{
    public MediaKind Kind { get; init; } = MediaKind.Audio;
    /// <summary>"male"/"female" where the corpus says so.</summary>
    public string? Gender { get; init; }
    /// <summary>A split the corpus itself assigns (FER2013's Usage, the image-folder variant's split folder).</summary>
    public string? PresetSplit { get; init; }
    public object? Details { get; init; }
    /// <summary>Stable identifier used by split manifests: the path relative to the corpus root.</summary>
    public string Id { get; init; } = Path;
}
