namespace AverLab.Media.Features;

/// <summary>How <see cref="Stft"/> pads the signal when <see cref="StftOptions.Center"/> is set (numpy.pad modes).</summary>
public enum PadMode { Constant, Reflect }

/// <summary>Short-time Fourier transform settings with librosa.stft's defaults (librosa 0.10: n_fft 2048,
/// win_length = n_fft, hop = win_length / 4, periodic Hann window, center=True with constant (zero) padding).</summary>
public sealed record StftOptions
{
    public int NFft { get; init; } = 2048;

    /// <summary>Samples between frame starts; null means WinLength / 4 as in librosa.</summary>
    public int? HopLength { get; init; }

    /// <summary>Window length, zero-padded to NFft at the centre; null means NFft.</summary>
    public int? WinLength { get; init; }

    public WindowType Window { get; init; } = WindowType.Hann;

    /// <summary>Pad NFft / 2 samples on both sides so frame t is centred on sample t * hop.</summary>
    public bool Center { get; init; } = true;

    public PadMode PadMode { get; init; } = PadMode.Constant;

    public int ResolvedWinLength => WinLength ?? NFft;
    public int ResolvedHopLength => HopLength ?? ResolvedWinLength / 4;

    /// <summary>Frequency bins per frame: 1 + NFft / 2.</summary>
    public int Bins => NFft / 2 + 1;

    /// <summary>Frames for a signal of <paramref name="samples"/> samples: 1 + (padded - NFft) / hop, padded =
    /// samples + NFft (center) or samples.</summary>
    public int FrameCount(int samples)
    {
        var padded = Center ? samples + 2 * (NFft / 2) : samples;
        return padded < NFft ? 0 : 1 + (padded - NFft) / ResolvedHopLength;
    }

    internal void Validate()
    {
        if (NFft < 2) throw new ArgumentOutOfRangeException(nameof(NFft), NFft, "n_fft must be at least 2");
        if (ResolvedWinLength < 1 || ResolvedWinLength > NFft) throw new ArgumentOutOfRangeException(nameof(WinLength), ResolvedWinLength, "win_length must be in [1, n_fft]");
        if (ResolvedHopLength < 1) throw new ArgumentOutOfRangeException(nameof(HopLength), ResolvedHopLength, "hop_length must be positive");
    }
}
