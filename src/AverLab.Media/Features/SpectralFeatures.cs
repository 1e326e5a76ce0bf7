namespace AverLab.Media.Features;

/// <summary>librosa.feature spectral descriptors computed from a magnitude spectrogram S [1 + n_fft/2 x frames]
/// (|STFT|, power 1, as librosa's _spectrogram gives them) at sample rate sr; bin k has frequency k sr / n_fft.
/// Each returns one value per frame unless stated.</summary>
public static class SpectralFeatures
{
    private const double Tiny = 1.1754943508222875e-38; // np.finfo(np.float32).tiny, librosa.util.normalize's threshold

    /// <summary>Magnitude spectrogram with librosa's spectral-feature defaults (n_fft 2048, hop 512, Hann, centred, zero padding).</summary>
    public static FeatureMatrix Magnitude(ReadOnlySpan<float> y, StftOptions? options = null) =>
        new Stft(options ?? new StftOptions { HopLength = 512 }).Spectrogram(y, power: 1.0);

    private static double Frequency(int k, int bins, int sr) => (double)k * sr / (2 * (bins - 1));

    /// <summary>librosa.feature.spectral_centroid: sum_k f_k S[k,t] / sum_k S[k,t] (0 for a silent frame).</summary>
    public static float[] Centroid(FeatureMatrix s, int sr)
    {
        var o = new float[s.Cols];
        for (var t = 0; t < s.Cols; t++)
        {
            double num = 0, den = 0;
            for (var k = 0; k < s.Rows; k++)
            {
                double v = s[k, t];
                num += Frequency(k, s.Rows, sr) * v;
                den += Math.Abs(v);
            }
            o[t] = (float)(den < Tiny ? num : num / den);
        }
        return o;
    }

    /// <summary>librosa.feature.spectral_bandwidth(p=2, norm=True): (sum_k S_norm[k,t] |f_k - centroid_t|^p)^(1/p).</summary>
    public static float[] Bandwidth(FeatureMatrix s, int sr, double p = 2.0)
    {
        var centroid = Centroid(s, sr);
        var o = new float[s.Cols];
        for (var t = 0; t < s.Cols; t++)
        {
            double den = 0;
            for (var k = 0; k < s.Rows; k++) den += Math.Abs(s[k, t]);
            if (den < Tiny) den = 1;
            double acc = 0;
            for (var k = 0; k < s.Rows; k++)
                acc += s[k, t] / den * Math.Pow(Math.Abs(Frequency(k, s.Rows, sr) - centroid[t]), p);
            o[t] = (float)Math.Pow(acc, 1 / p);
        }
        return o;
    }

    /// <summary>librosa.feature.spectral_rolloff: the lowest bin frequency whose cumulative magnitude reaches
    /// roll_percent of the frame's total.</summary>
    public static float[] Rolloff(FeatureMatrix s, int sr, double rollPercent = 0.85)
    {
        var o = new float[s.Cols];
        var cum = new double[s.Rows];
        for (var t = 0; t < s.Cols; t++)
        {
            double acc = 0;
            for (var k = 0; k < s.Rows; k++) cum[k] = acc += s[k, t];
            var threshold = rollPercent * acc;
            var k0 = 0;
            while (k0 < s.Rows - 1 && cum[k0] < threshold) k0++;
            o[t] = (float)Frequency(k0, s.Rows, sr);
        }
        return o;
    }

    /// <summary>librosa.feature.spectral_flatness(amin=1e-10, power=2): geometric over arithmetic mean of max(amin, S^power).</summary>
    public static float[] Flatness(FeatureMatrix s, double amin = 1e-10, double power = 2.0)
    {
        var o = new float[s.Cols];
        for (var t = 0; t < s.Cols; t++)
        {
            double logSum = 0, sum = 0;
            for (var k = 0; k < s.Rows; k++)
            {
                var v = Math.Max(amin, Math.Pow(s[k, t], power));
                logSum += Math.Log(v);
                sum += v;
            }
            o[t] = (float)(Math.Exp(logSum / s.Rows) / (sum / s.Rows));
        }
        return o;
    }

    /// <summary>librosa.feature.spectral_contrast(fmin=200, n_bands=6, quantile=0.02, linear=False): per octave band,
    /// power_to_db(peak) - power_to_db(valley) where peak/valley are the means of the top/bottom quantile of the
    /// band's sorted magnitudes (power_to_db with ref 1, top_db 80 over each whole matrix, as librosa). Shape
    /// [n_bands + 1 x frames].</summary>
    public static FeatureMatrix Contrast(FeatureMatrix s, int sr, double fmin = 200.0, int nBands = 6, double quantile = 0.02)
    {
        int bins = s.Rows, frames = s.Cols;
        var octa = new double[nBands + 2];
        for (var i = 1; i < octa.Length; i++) octa[i] = fmin * Math.Pow(2, i - 1);
        for (var i = 0; i < octa.Length - 1; i++)
            if (octa[i] >= 0.5 * sr) throw new ArgumentException($"spectral contrast: band edge {octa[i]} Hz exceeds Nyquist; lower fmin or n_bands");
        var valley = new FeatureMatrix(nBands + 1, frames);
        var peak = new FeatureMatrix(nBands + 1, frames);
        var band = new List<int>();
        var buf = new double[bins];
        for (var b = 0; b <= nBands; b++)
        {
            double lo = octa[b], hi = octa[b + 1];
            band.Clear();
            int first = -1, last = -1;
            for (var k = 0; k < bins; k++)
            {
                var f = Frequency(k, bins, sr);
                if (f >= lo && f <= hi) { if (first < 0) first = k; last = k; }
            }
            var from = b > 0 ? first - 1 : first;
            var to = b == nBands ? bins - 1 : last; // the last band runs to Nyquist
            var count = to - from + 1;            // sum(current_band)
            var used = b < nBands ? count - 1 : count; // librosa drops the band's last bin except for the top band
            var idx = Math.Max(1, (int)Math.Round(quantile * count, MidpointRounding.ToEven));
            for (var t = 0; t < frames; t++)
            {
                for (var k = 0; k < used; k++) buf[k] = s[from + k, t];
                Array.Sort(buf, 0, used);
                var n = Math.Min(idx, used); // numpy slices [:idx] and [-idx:] clip to the band
                double v = 0, p = 0;
                for (var k = 0; k < n; k++) { v += buf[k]; p += buf[used - n + k]; }
                valley[b, t] = (float)(v / n);
                peak[b, t] = (float)(p / n);
            }
        }
        var pd = Decibels.PowerToDb(peak);
        var vd = Decibels.PowerToDb(valley);
        for (var i = 0; i < pd.Data.Length; i++) pd.Data[i] -= vd.Data[i];
        return pd;
    }
}
