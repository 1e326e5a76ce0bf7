namespace AverLab.Data.Synthetic;

/// <summary>Size and format of a generated synthetic corpus. The defaults (8 actors × 60 speech wavs at 16 kHz,
/// 8 actors × 8 audio-visual mp4s, 7 × 300 FER faces) generate in well under 30 s on 2 cores.</summary>
public sealed record SyntheticCorpusOptions
{
    public int Seed { get; init; }
    /// <summary>Actors 1..N (odd male, even female).</summary>
    public int Actors { get; init; } = 8;
    /// <summary>16000 or 48000 (RAVDESS's own rate).</summary>
    public int SampleRate { get; init; } = 16000;
    /// <summary>Every RAVDESS speech combination per actor (60 files: 8 emotions, 2 intensities except neutral,
    /// 2 statements, 2 repetitions); false keeps one file per emotion and intensity (statement 01, repetition 01).</summary>
    public bool AllCombinations { get; init; } = true;
    /// <summary>Write audio-visual mp4s (needs ffmpeg): one per actor and emotion (normal intensity, statement 01,
    /// repetition 01).</summary>
    public bool Video { get; init; } = true;
    /// <summary>One mp4 per speech combination too (as many as the wavs) instead of one per emotion: enough clips
    /// for the video models to learn from (slower: each mp4 is an ffmpeg run).</summary>
    public bool VideoAllCombinations { get; init; }
    public int VideoSize { get; init; } = 96;
    public int VideoFps { get; init; } = 10;
    /// <summary>FER2013-format faces per class (7 classes); 0 writes no CSV.</summary>
    public int FerPerClass { get; init; } = 300;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
