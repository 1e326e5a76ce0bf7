using System.Numerics;

namespace AverLab.Media.Features;

/// <summary>librosa.feature.chroma_stft with its defaults (n_chroma 12, tuning estimated with
/// librosa.estimate_tuning/piptrack, chroma filterbank filters.chroma(ctroct 5, octwidth 2, norm 2, base_c),
/// each frame scaled to max 1 (norm=inf)). Input: a power spectrogram [1 + n_fft/2 x frames]. Output [12 x frames].</summary>
public static class Chroma
{
    private const double Tiny = 1.1754943508222875e-38;

    public static FeatureMatrix FromPowerSpectrogram(FeatureMatrix power, int sr, int nChroma = 12, double? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(power);
        var nFft = 2 * (power.Rows - 1);
        var tune = tuning ?? EstimateTuning(power, sr, nChroma);
        var fb = CachedFilterbank(sr, nFft, tune, nChroma);
        int bins = power.Rows, frames = power.Cols;
        // acc[c, t] = sum over k, in order, of the float product w[c, k] * power[k, t] widened to double (as a loop over
        // one frame's bins adds them), bins outer so that a row of the spectrogram is read once, frames in vectors.
        var acc = new double[nChroma * frames];
        var width = Vector<float>.Count;
        for (var k = 0; k < bins; k++)
        {
            var row = power.Row(k);
            for (var c = 0; c < nChroma; c++)
            {
                var w = fb[c, k];
                var a = acc.AsSpan(c * frames, frames);
                var t = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var vw = new Vector<float>(w);
                    for (; t + width <= frames; t += width)
                    {
                        Vector.Widen(vw * Vector.LoadUnsafe(ref row[0], (nuint)t), out var lo, out var hi);
                        (Vector.LoadUnsafe(ref a[0], (nuint)t) + lo).StoreUnsafe(ref a[0], (nuint)t);
                        (Vector.LoadUnsafe(ref a[0], (nuint)(t + width / 2)) + hi).StoreUnsafe(ref a[0], (nuint)(t + width / 2));
                    }
                }
                for (; t < frames; t++) a[t] += w * row[t];
            }
        }
        var o = new FeatureMatrix(nChroma, frames);
        for (var t = 0; t < frames; t++)
        {
            double max = 0;
            for (var c = 0; c < nChroma; c++) max = Math.Max(max, Math.Abs(acc[c * frames + t]));
            var scale = max < Tiny ? 1.0 : max;
            for (var c = 0; c < nChroma; c++) o[c, t] = (float)(acc[c * frames + t] / scale);
        }
        return o;
    }

    /// <summary>chroma_stft from a signal: power spectrogram with n_fft 2048, hop 512, Hann, centred.</summary>
    public static FeatureMatrix Stft(ReadOnlySpan<float> y, int sr, StftOptions? options = null) =>
        FromPowerSpectrogram(new Stft(options ?? new StftOptions { HopLength = 512 }).Spectrogram(y, 2.0), sr);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int, double, int), FeatureMatrix> Filterbanks = new();

    /// <summary>The filterbank of these settings, built once (the estimated tuning takes one of 100 values): read only.</summary>
    private static FeatureMatrix CachedFilterbank(int sr, int nFft, double tuning, int nChroma) =>
        Filterbanks.Count < 4096 ? Filterbanks.GetOrAdd((sr, nFft, tuning, nChroma), k => Filterbank(k.Item1, k.Item2, k.Item3, k.Item4))
            : Filterbank(sr, nFft, tuning, nChroma);

    /// <summary>librosa.filters.chroma [n_chroma x (1 + n_fft/2)], float32 values.</summary>
    public static FeatureMatrix Filterbank(int sr, int nFft, double tuning = 0, int nChroma = 12, double ctroct = 5.0, double octwidth = 2.0)
    {
        var frqbins = new double[nFft];
        for (var i = 1; i < nFft; i++) frqbins[i] = nChroma * HzToOcts((double)i * sr / nFft, tuning, nChroma);
        frqbins[0] = frqbins[1] - 1.5 * nChroma;
        var width = new double[nFft];
        for (var i = 0; i < nFft - 1; i++) width[i] = Math.Max(frqbins[i + 1] - frqbins[i], 1.0);
        width[nFft - 1] = 1;
        var half = Math.Round(nChroma / 2.0, MidpointRounding.ToEven);
        var wts = new double[nChroma, nFft];
        for (var f = 0; f < nFft; f++)
        {
            double norm = 0;
            for (var c = 0; c < nChroma; c++)
            {
                var d = frqbins[f] - c;
                d = PyMod(d + half + 10 * nChroma, nChroma) - half;
                var w = Math.Exp(-0.5 * Math.Pow(2 * d / width[f], 2));
                wts[c, f] = w;
                norm += w * w;
            }
            norm = Math.Sqrt(norm);
            if (norm < Tiny) norm = 1;
            var oct = Math.Exp(-0.5 * Math.Pow((frqbins[f] / nChroma - ctroct) / octwidth, 2));
            for (var c = 0; c < nChroma; c++) wts[c, f] = wts[c, f] / norm * oct;
        }
        var bins = nFft / 2 + 1;
        var o = new FeatureMatrix(nChroma, bins);
        var roll = 3 * (nChroma / 12); // base_c: np.roll(wts, -3 * (n_chroma // 12), axis=0)
        for (var c = 0; c < nChroma; c++)
            for (var k = 0; k < bins; k++) o[c, k] = (float)wts[(c + roll) % nChroma, k];
        return o;
    }

    /// <summary>librosa.estimate_tuning(S=power, resolution 0.01): piptrack peaks (150-4000 Hz, threshold 0.1 of
    /// each frame's max) with magnitude at least their median, folded to fractions of a chroma bin, histogrammed;
    /// returns the most common deviation in fractions of a bin, in [-0.5, 0.5).</summary>
    public static double EstimateTuning(FeatureMatrix s, int sr, int binsPerOctave = 12, double resolution = 0.01)
    {
        var (pitches, mags) = Piptrack(s, sr);
        var m = mags.ToArray();
        double threshold = 0;
        if (m.Length > 0)
        {
            Array.Sort(m);
            threshold = m.Length % 2 == 1 ? m[m.Length / 2] : 0.5 * (m[m.Length / 2 - 1] + m[m.Length / 2]);
        }
        var freqs = new List<double>(pitches.Count);
        for (var i = 0; i < pitches.Count; i++) if (mags[i] >= threshold) freqs.Add(pitches[i]);
        if (freqs.Count == 0) return 0.0;
        var nBins = (int)Math.Ceiling(1.0 / resolution);
        var counts = new int[nBins];
        var edges = new double[nBins + 1];
        for (var i = 0; i <= nBins; i++) edges[i] = i * (1.0 / nBins) - 0.5; // as numpy.linspace computes them
        edges[nBins] = 0.5;
        foreach (var f in freqs)
        {
            var r = PyMod(binsPerOctave * HzToOcts(f, 0, binsPerOctave), 1.0);
            if (r >= 0.5) r -= 1.0;
            // numpy.histogram: bins are [e_i, e_{i+1}), the last one closed
            var b = Array.BinarySearch(edges, r);
            b = b >= 0 ? Math.Min(b, nBins - 1) : ~b - 1;
            if (b >= 0 && b < nBins) counts[b]++;
        }
        var best = 0;
        for (var i = 1; i < nBins; i++) if (counts[i] > counts[best]) best = i;
        return edges[best];
    }

    /// <summary>librosa.piptrack(S, fmin 150, fmax 4000, threshold 0.1, ref=max per frame): the pitch and magnitude of
    /// each entry with a positive pitch, in S's row-major order (the entries librosa's estimate_tuning keeps).</summary>
    internal static (List<double> Pitches, List<double> Mags) Piptrack(FeatureMatrix s, int sr, double fmin = 150, double fmax = 4000, double threshold = 0.1)
    {
        int bins = s.Rows, frames = s.Cols, nFft = 2 * (bins - 1);
        fmax = Math.Min(fmax, sr / 2.0);
        var refValue = new double[frames];
        for (var k = 0; k < bins; k++)
        {
            var row = s.Row(k);
            for (var t = 0; t < frames; t++) refValue[t] = Math.Max(refValue[t], Math.Abs((double)row[t]));
        }
        for (var t = 0; t < frames; t++) refValue[t] *= threshold;
        var pitches = new List<double>();
        var mags = new List<double>();
        // Row by row (bins outer) visits the entries in the same row-major order as the flattened output.
        for (var k = 0; k < bins; k++)
        {
            var f = (double)k * sr / nFft;
            if (f < fmin || f >= fmax) continue;
            var row = s.Row(k);
            var below = k > 0 ? s.Row(k - 1) : default;
            var above = k < bins - 1 ? s.Row(k + 1) : default;
            for (var t = 0; t < frames; t++)
            {
                var rv = refValue[t];
                double ck = Math.Abs((double)row[t]);
                // localmax of S * (S > ref) with edge padding: x[k] > x[k-1] and x[k] >= x[k+1]
                var x = ck > rv ? ck : 0;
                double prev = x, next = x, cPrev = 0, cNext = 0;
                if (k > 0) { cPrev = Math.Abs((double)below[t]); prev = cPrev > rv ? cPrev : 0; }
                if (k < bins - 1) { cNext = Math.Abs((double)above[t]); next = cNext > rv ? cNext : 0; }
                if (!(x > prev && x >= next)) continue;
                double shift = 0, avg;
                if (k > 0 && k < bins - 1)
                {
                    var a = cNext + cPrev - 2 * ck;
                    var b = (cNext - cPrev) / 2;
                    shift = Math.Abs(b) >= Math.Abs(a) ? 0 : -b / a;
                    avg = 0.5 * (cNext - cPrev);
                }
                else avg = k == 0 ? Math.Abs((double)above[t]) - ck : ck - cPrev; // np.gradient's one-sided edges
                var pitch = (k + shift) * sr / nFft;
                if (!(pitch > 0)) continue;
                pitches.Add(pitch);
                mags.Add(ck + 0.5 * avg * shift);
            }
        }
        return (pitches, mags);
    }

    /// <summary>librosa.hz_to_octs: log2(f / (A440 / 16)) with A440 = 440 * 2^(tuning / bins_per_octave).</summary>
    public static double HzToOcts(double hz, double tuning = 0, int binsPerOctave = 12) =>
        Math.Log2(hz / (440.0 * Math.Pow(2.0, tuning / binsPerOctave) / 16));

    private static double PyMod(double a, double m) => a - m * Math.Floor(a / m);
}
