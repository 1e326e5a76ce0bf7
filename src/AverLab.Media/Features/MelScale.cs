namespace AverLab.Media.Features;

/// <summary>Normalisation of mel filters: Slaney divides each triangle by its width in Hz (constant energy per band);
/// None leaves peaks at 1.</summary>
public enum MelNorm { None, Slaney }

/// <summary>Hz/mel conversions and the mel filterbank exactly as librosa 0.10 (librosa.hz_to_mel, mel_to_hz,
/// mel_frequencies, filters.mel). Slaney scale: linear below 1 kHz (200/3 Hz per mel), logarithmic above (step
/// ln(6.4)/27); HTK scale: 2595 log10(1 + f/700).</summary>
public static class MelScale
{
    private const double FSp = 200.0 / 3, MinLogHz = 1000.0, MinLogMel = MinLogHz / FSp;
    private static readonly double LogStep = Math.Log(6.4) / 27.0;

    public static double HzToMel(double hz, bool htk = false)
    {
        if (htk) return 2595.0 * Math.Log10(1.0 + hz / 700.0);
        return hz >= MinLogHz ? MinLogMel + Math.Log(hz / MinLogHz) / LogStep : hz / FSp;
    }

    public static double MelToHz(double mel, bool htk = false)
    {
        if (htk) return 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);
        return mel >= MinLogMel ? MinLogHz * Math.Exp(LogStep * (mel - MinLogMel)) : FSp * mel;
    }

    /// <summary>librosa.mel_frequencies: <paramref name="count"/> frequencies evenly spaced in mel from fmin to fmax.</summary>
    public static double[] MelFrequencies(int count, double fmin, double fmax, bool htk = false)
    {
        double lo = HzToMel(fmin, htk), hi = HzToMel(fmax, htk);
        var f = new double[count];
        for (var i = 0; i < count; i++)
            f[i] = MelToHz(count == 1 ? lo : lo + (hi - lo) * i / (count - 1), htk);
        return f;
    }

    /// <summary>librosa.filters.mel: triangular filters, shape [n_mels x (1 + n_fft/2)], float32 as librosa returns.
    /// fmax null means sr / 2.</summary>
    public static FeatureMatrix Filterbank(int sampleRate, int nFft, int nMels = 128, double fmin = 0, double? fmax = null,
        bool htk = false, MelNorm norm = MelNorm.Slaney)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate));
        if (nMels < 1) throw new ArgumentOutOfRangeException(nameof(nMels));
        var top = fmax ?? sampleRate / 2.0;
        if (fmin < 0 || top <= fmin) throw new ArgumentException($"need 0 <= fmin < fmax, got fmin {fmin}, fmax {top}");
        var bins = nFft / 2 + 1;
        var fftFreqs = new double[bins];
        for (var k = 0; k < bins; k++) fftFreqs[k] = (double)k * sampleRate / nFft;
        var melF = MelFrequencies(nMels + 2, fmin, top, htk);
        var w = new FeatureMatrix(nMels, bins);
        for (var i = 0; i < nMels; i++)
        {
            double d0 = melF[i + 1] - melF[i], d1 = melF[i + 2] - melF[i + 1];
            var enorm = norm == MelNorm.Slaney ? 2.0 / (melF[i + 2] - melF[i]) : 1.0;
            for (var k = 0; k < bins; k++)
            {
                var lower = -(melF[i] - fftFreqs[k]) / d0;
                var upper = (melF[i + 2] - fftFreqs[k]) / d1;
                var v = Math.Max(0.0, Math.Min(lower, upper));
                w[i, k] = (float)((float)v * enorm); // librosa stores float32 weights, then scales them by float64 norms
            }
        }
        return w;
    }
}
