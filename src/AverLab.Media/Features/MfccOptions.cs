namespace AverLab.Media.Features;

/// <summary>librosa.feature.mfcc settings: MFCC = DCT-II-ortho(power_to_db(melspectrogram, ref 1, amin 1e-10,
/// top_db 80))[:n_mfcc], optionally liftered by 1 + (L/2) sin(pi (k + 1) / L).</summary>
public sealed record MfccOptions
{
    public MelSpectrogramOptions Mel { get; init; } = new();
    public int NMfcc { get; init; } = 20;
    public int Lifter { get; init; }

    /// <summary>top_db of the power_to_db step; null disables clipping.</summary>
    public double? TopDb { get; init; } = 80.0;

    /// <summary>The CNN+Transformer seed's settings: 48 kHz, n_mfcc 40, n_fft 1024, win_length 512, Hamming, hop
    /// 512, 128 mels, fmax 24000 (3 s give 40 x 282).</summary>
    public static MfccOptions CnnTransformerSeed { get; } = new()
    {
        NMfcc = 40,
        Mel = new MelSpectrogramOptions
        {
            SampleRate = 48000,
            NMels = 128,
            FMax = 24000,
            Stft = new StftOptions { NFft = 1024, WinLength = 512, HopLength = 512, Window = WindowType.Hamming },
        },
    };
}
