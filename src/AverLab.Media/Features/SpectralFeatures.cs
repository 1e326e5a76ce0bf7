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

    /// <summary>Bin frequencies, each as <see cref="Frequency"/> computes it.</summary>
    private static double[] Frequencies(int bins, int sr)
    {
        var f = new double[bins];
        for (var k = 0; k < bins; k++) f[k] = Frequency(k, bins, sr);
        return f;
    }

    // The frame loops below run over the matrix row by row (bins outer, frames inner) with one accumulator per frame:
    // each frame's sums still add its bins in order k = 0, 1, ..., so the values are those of a loop over the frame's column.

    /// <summary>librosa.feature.spectral_centroid: sum_k f_k S[k,t] / sum_k S[k,t] (0 for a silent frame).</summary>
    public static float[] Centroid(FeatureMatrix s, int sr)
    {
        int bins = s.Rows, frames = s.Cols;
        var freq = Frequencies(bins, sr);
        var num = new double[frames];
        var den = new double[frames];
        for (var k = 0; k < bins; k++)
        {
            var fk = freq[k];
            var row = s.Row(k);
            for (var t = 0; t < frames; t++)
            {
                double v = row[t];
                num[t] += fk * v;
                den[t] += Math.Abs(v);
            }
        }
        var o = new float[frames];
        for (var t = 0; t < frames; t++) o[t] = (float)(den[t] < Tiny ? num[t] : num[t] / den[t]);
        return o;
    }

    /// <summary>librosa.feature.spectral_bandwidth(p=2, norm=True): (sum_k S_norm[k,t] |f_k - centroid_t|^p)^(1/p).</summary>
    public static float[] Bandwidth(FeatureMatrix s, int sr, double p = 2.0) => Bandwidth(s, sr, Centroid(s, sr), p);

    /// <summary><see cref="Bandwidth(FeatureMatrix, int, double)"/> around a centroid already computed.</summary>
    internal static float[] Bandwidth(FeatureMatrix s, int sr, float[] centroid, double p = 2.0)
    {
        int bins = s.Rows, frames = s.Cols;
        var freq = Frequencies(bins, sr);
        var den = new double[frames];
        for (var k = 0; k < bins; k++)
        {
            var row = s.Row(k);
            for (var t = 0; t < frames; t++) den[t] += Math.Abs(row[t]);
        }
        for (var t = 0; t < frames; t++) if (den[t] < Tiny) den[t] = 1;
        var acc = new double[frames];
        for (var k = 0; k < bins; k++)
        {
            var fk = freq[k];
            var row = s.Row(k);
            for (var t = 0; t < frames; t++)
            {
                var d = Math.Abs(fk - centroid[t]);
                acc[t] += row[t] / den[t] * (p == 2.0 ? d * d : Math.Pow(d, p)); // p = 2: one product, not a Math.Pow call
            }
        }
        var o = new float[frames];
        for (var t = 0; t < frames; t++) o[t] = (float)Math.Pow(acc[t], 1 / p);
        return o;
    }

    /// <summary>librosa.feature.spectral_rolloff: the lowest bin frequency whose cumulative magnitude reaches
    /// roll_percent of the frame's total.</summary>
    public static float[] Rolloff(FeatureMatrix s, int sr, double rollPercent = 0.85)
    {
        int bins = s.Rows, frames = s.Cols;
        var total = new double[frames];
        for (var k = 0; k < bins; k++)
        {
            var row = s.Row(k);
            for (var t = 0; t < frames; t++) total[t] += row[t];
        }
        var threshold = new double[frames];
        for (var t = 0; t < frames; t++) threshold[t] = rollPercent * total[t];
        // The first bin whose running sum (the same partial sums again) reaches the threshold; the last bin if none does.
        var cum = new double[frames];
        var found = new int[frames];
        Array.Fill(found, bins - 1);
        var open = frames;
        for (var k = 0; k < bins - 1 && open > 0; k++)
        {
            var row = s.Row(k);
            for (var t = 0; t < frames; t++)
            {
                cum[t] += row[t];
                if (found[t] == bins - 1 && !(cum[t] < threshold[t])) { found[t] = k; open--; }
            }
        }
        var o = new float[frames];
        for (var t = 0; t < frames; t++) o[t] = (float)Frequency(found[t], bins, sr);
        return o;
    }

    /// <summary>librosa.feature.spectral_flatness(amin=1e-10, power=2): geometric over arithmetic mean of max(amin, S^power).</summary>
    public static float[] Flatness(FeatureMatrix s, double amin = 1e-10, double power = 2.0)
    {
        int bins = s.Rows, frames = s.Cols;
        var logSum = new double[frames];
        var sum = new double[frames];
        for (var k = 0; k < bins; k++)
        {
            var row = s.Row(k);
            for (var t = 0; t < frames; t++)
            {
                double x = row[t];
                // A float's square is exact in double, so x * x is Math.Pow(x, 2) without the call.
                var v = Math.Max(amin, power == 2.0 ? x * x : Math.Pow(x, power));
                logSum[t] += Math.Log(v);
                sum[t] += v;
            }
        }
        var o = new float[frames];
        for (var t = 0; t < frames; t++) o[t] = (float)(Math.Exp(logSum[t] / bins) / (sum[t] / bins));
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
        // Without NaN, the means of the idx smallest and largest values only need those values in order: they are kept
        // in two short sorted lists instead of sorting the band (the same values, summed in the same order).
        var sortBands = HasNaN(s.Data);
        var transposed = System.Buffers.ArrayPool<double>.Shared.Rent(bins * frames); // [frames x bins], a frame's bins contiguous
        for (var k = 0; k < bins; k++)
        {
            var row = s.Row(k);
            for (var t = 0; t < frames; t++) transposed[t * bins + k] = row[t];
        }
        var buf = new double[bins];
        var low = new double[bins];
        var high = new double[bins];
        for (var b = 0; b <= nBands; b++)
        {
            double lo = octa[b], hi = octa[b + 1];
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
            var n = Math.Min(idx, used); // numpy slices [:idx] and [-idx:] clip to the band
            for (var t = 0; t < frames; t++)
            {
                var band = transposed.AsSpan(t * bins + from, used);
                double v = 0, p = 0;
                if (sortBands)
                {
                    band.CopyTo(buf);
                    Array.Sort(buf, 0, used);
                    for (var k = 0; k < n; k++) { v += buf[k]; p += buf[used - n + k]; }
                }
                else if (n > 0)
                {
                    Extremes(band, n, low, high);
                    for (var k = 0; k < n; k++) { v += low[k]; p += high[k]; }
                }
                valley[b, t] = (float)(v / n);
                peak[b, t] = (float)(p / n);
            }
        }
        System.Buffers.ArrayPool<double>.Shared.Return(transposed);
        var pd = Decibels.PowerToDb(peak);
        var vd = Decibels.PowerToDb(valley);
        for (var i = 0; i < pd.Data.Length; i++) pd.Data[i] -= vd.Data[i];
        return pd;
    }

    /// <summary>The <paramref name="n"/> smallest values of <paramref name="x"/> into low[0..n) and the n largest into
    /// high[0..n), each ascending: the first and last n of the sorted values. No NaN.</summary>
    private static void Extremes(ReadOnlySpan<double> x, int n, double[] low, double[] high)
    {
        for (var i = 0; i < n; i++)
        {
            var v = x[i];
            var j = i - 1;
            while (j >= 0 && low[j] > v) { low[j + 1] = low[j]; j--; }
            low[j + 1] = v;
        }
        low.AsSpan(0, n).CopyTo(high);
        for (var i = n; i < x.Length; i++)
        {
            var v = x[i];
            if (v < low[n - 1])
            {
                var j = n - 2;
                while (j >= 0 && low[j] > v) { low[j + 1] = low[j]; j--; }
                low[j + 1] = v;
            }
            if (v > high[0])
            {
                var j = 1;
                while (j < n && high[j] < v) { high[j - 1] = high[j]; j++; }
                high[j - 1] = v;
            }
        }
    }

    private static bool HasNaN(float[] x)
    {
        foreach (var v in x) if (float.IsNaN(v)) return true;
        return false;
    }
}
