namespace AverLab.Media.Features;

/// <summary>librosa.feature.melspectrogram settings (defaults as librosa 0.10: power 2, 128 Slaney-normalised
/// Slaney-scale mels from 0 Hz to sr/2) on top of <see cref="StftOptions"/>.</summary>
public sealed record MelSpectrogramOptions
{
    public int SampleRate { get; init; } = 22050;
    public StftOptions Stft { get; init; } = new();
    public int NMels { get; init; } = 128;
    public double FMin { get; init; }

    /// <summary>Upper edge; null means SampleRate / 2.</summary>
    public double? FMax { get; init; }

    public bool Htk { get; init; }
    public MelNorm Norm { get; init; } = MelNorm.Slaney;

    /// <summary>Exponent of the magnitude: 2 (power) or 1 (energy).</summary>
    public double Power { get; init; } = 2.0;
}
