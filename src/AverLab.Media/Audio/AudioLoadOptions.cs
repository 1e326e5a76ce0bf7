namespace AverLab.Media.Audio;

/// <summary>Options of <see cref="AudioLoader.Load"/>, in the order they apply: Offset/Duration (seconds, at the
/// native rate, as librosa.load), Mono (channel average), SampleRate (soxr resampling; null keeps the native rate
/// — note librosa.load's own default is 22050, so pass it when mirroring a seed), Denoise (spectral gating,
/// <see cref="SpectralGate"/>), TrimTopDb (librosa.effects.trim), then TargetLength with Policy.</summary>
public sealed record AudioLoadOptions
{
    public int? SampleRate { get; init; }
    public bool Mono { get; init; } = true;
    public double Offset { get; init; }
    public double? Duration { get; init; }

    /// <summary>Stationary spectral-gating noise reduction of each channel (<see cref="SpectralGate"/>); null: none.</summary>
    public SpectralGateOptions? Denoise { get; init; }

    /// <summary>A noise clip at the output rate for <see cref="Denoise"/>'s statistics; null: the quietest frames.</summary>
    public float[]? DenoiseNoise { get; init; }

    /// <summary>Trim leading and trailing silence quieter than this many dB below the loudest frame; null: no trim.</summary>
    public double? TrimTopDb { get; init; }

    public int TrimFrameLength { get; init; } = 2048;
    public int TrimHopLength { get; init; } = 512;

    /// <summary>Samples per channel after fitting; required unless Policy is None.</summary>
    public int? TargetLength { get; init; }

    public LengthPolicy Policy { get; init; } = LengthPolicy.None;
}
