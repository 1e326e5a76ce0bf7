using AverLab.Media.Features;

namespace AverLab.Media.Audio;

/// <summary>Stationary spectral-gating noise reduction, the algorithm of the noisereduce package
/// (noisereduce/spectralgate/stationary.py, reduce_noise(stationary=True)):
/// <list type="number">
/// <item>STFT of the noise (Hann window, frames centred with zero padding, as scipy.signal.stft); per frequency the
/// mean and standard deviation of its dB magnitude (20·log10(|X| + eps), floored 80 dB under that frequency's
/// maximum); threshold = mean + n_std · std.</item>
/// <item>STFT of the signal in dB the same way; mask = 1 where a bin is above its frequency's threshold, else 0;
/// mask · prop_decrease + (1 − prop_decrease); smoothed by convolving ("same") with noisereduce's triangular
/// filter over ± int(freq_smooth_hz / (sr / (n_fft / 2))) bins and ± int(time_smooth_ms / hop ms) frames,
/// normalised by the filter weight inside the spectrogram at the edges (noisereduce's zero padding darkens them).</item>
/// <item>The masked STFT inverted by weighted overlap-add (scipy.signal.istft), cut to the input's length.</item>
/// </list>
/// The noise is a given clip, or — unlike noisereduce, which takes the whole signal — the quietest
/// <see cref="SpectralGateOptions.QuietFraction"/> of the signal's own frames (by energy), the usual noise floor of
/// speech with pauses.</summary>
public static class SpectralGate
{
    /// <summary>np.finfo(np.float64).eps, noisereduce's floor inside the log.</summary>
    private const double Eps = 2.220446049250313e-16;

    /// <summary>The signal with its stationary noise gated out; <paramref name="noise"/> null takes the noise
    /// statistics from the signal's quietest frames.</summary>
    public static float[] Reduce(ReadOnlySpan<float> y, int sampleRate, SpectralGateOptions? options = null, ReadOnlySpan<float> noise = default, bool noiseGiven = false)
    {
        var o = options ?? new SpectralGateOptions();
        if (o.FindProblem() is { } problem) throw new ArgumentException($"spectral gate: {problem}", nameof(options));
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        if (y.Length == 0) return [];
        var stft = new GateStft(o.NFft, o.ResolvedHop);
        var (re, im, frames) = stft.Forward(y);
        var bins = o.NFft / 2 + 1;
        var db = Db(re, im, bins, frames);
        double[] threshold;
        if (noiseGiven)
        {
            if (noise.Length == 0) throw new ArgumentException("spectral gate: the noise clip is empty", nameof(noise));
            var (nre, nim, nframes) = stft.Forward(noise);
            threshold = Threshold(Db(nre, nim, bins, nframes), bins, nframes, Enumerable.Range(0, nframes).ToArray(), o.NStd);
        }
        else threshold = Threshold(db, bins, frames, Quietest(re, im, bins, frames, o.QuietFraction), o.NStd);

        var mask = new double[bins * frames];
        for (var k = 0; k < bins; k++)
            for (var t = 0; t < frames; t++)
                mask[k * frames + t] = (db[k * frames + t] > threshold[k] ? 1.0 : 0.0) * o.PropDecrease + (1 - o.PropDecrease);
        var nFreq = (int)(o.FreqSmoothHz / (sampleRate / (o.NFft / 2.0)));
        var nTime = (int)(o.TimeSmoothMs / (o.ResolvedHop / (double)sampleRate * 1000));
        if (nFreq > 1 || nTime > 1) mask = Smooth(mask, bins, frames, Math.Max(1, nFreq), Math.Max(1, nTime));
        for (var i = 0; i < mask.Length; i++)
        {
            re[i] *= mask[i];
            im[i] *= mask[i];
        }
        return stft.Inverse(re, im, frames, y.Length);
    }

    /// <summary>dB magnitude per bin, [bins x frames] row-major, each frequency floored 80 dB under its maximum.</summary>
    private static double[] Db(double[] re, double[] im, int bins, int frames)
    {
        var db = new double[bins * frames];
        for (var k = 0; k < bins; k++)
        {
            var max = double.NegativeInfinity;
            for (var t = 0; t < frames; t++)
            {
                var i = k * frames + t;
                db[i] = 20 * Math.Log10(Math.Sqrt(re[i] * re[i] + im[i] * im[i]) + Eps);
                max = Math.Max(max, db[i]);
            }
            for (var t = 0; t < frames; t++) db[k * frames + t] = Math.Max(db[k * frames + t], max - 80);
        }
        return db;
    }

    private static double[] Threshold(double[] db, int bins, int frames, int[] which, double nStd)
    {
        var th = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            double sum = 0, sq = 0;
            foreach (var t in which) sum += db[k * frames + t];
            var mean = sum / which.Length;
            foreach (var t in which) sq += (db[k * frames + t] - mean) * (db[k * frames + t] - mean);
            th[k] = mean + nStd * Math.Sqrt(sq / which.Length);                  // np.std: population
        }
        return th;
    }

    /// <summary>The quietest ceil(fraction · frames) frames by energy (ties by position, so the choice is fixed).</summary>
    private static int[] Quietest(double[] re, double[] im, int bins, int frames, double fraction)
    {
        var energy = new double[frames];
        for (var k = 0; k < bins; k++)
            for (var t = 0; t < frames; t++)
                energy[t] += re[k * frames + t] * re[k * frames + t] + im[k * frames + t] * im[k * frames + t];
        var count = Math.Max(1, (int)Math.Ceiling(fraction * frames));
        return Enumerable.Range(0, frames).OrderBy(t => energy[t]).ThenBy(t => t).Take(count).ToArray();
    }

    /// <summary>noisereduce's _smoothing_filter (outer product of two triangles) convolved with the mask, centred
    /// ("same", as scipy.signal.fftconvolve), each output divided by the filter weight that falls inside the
    /// spectrogram: noisereduce divides by the whole filter's sum, so its edge bins and first and last frames are
    /// attenuated even where the mask is 1 (with prop_decrease 0 that alone left the signal at 31 dB SNR against
    /// itself); here a mask of ones stays ones.</summary>
    private static double[] Smooth(double[] mask, int bins, int frames, int nFreq, int nTime)
    {
        var f = Triangle(nFreq);
        var g = Triangle(nTime);
        // The filter is separable: convolve along frequency, then along time.
        var tmp = new double[mask.Length];
        int hf = f.Length / 2, ht = g.Length / 2;
        for (var k = 0; k < bins; k++)
        {
            double w = 0;
            for (var j = 0; j < f.Length; j++)
                if (k + hf - j >= 0 && k + hf - j < bins) w += f[j];
            for (var t = 0; t < frames; t++)
            {
                double s = 0;
                for (var j = 0; j < f.Length; j++)
                {
                    var kk = k + hf - j;
                    if (kk >= 0 && kk < bins) s += f[j] * mask[kk * frames + t];
                }
                tmp[k * frames + t] = s / w;
            }
        }
        var result = new double[mask.Length];
        var wt = new double[frames];
        for (var t = 0; t < frames; t++)
            for (var j = 0; j < g.Length; j++)
                if (t + ht - j >= 0 && t + ht - j < frames) wt[t] += g[j];
        for (var k = 0; k < bins; k++)
            for (var t = 0; t < frames; t++)
            {
                double s = 0;
                for (var j = 0; j < g.Length; j++)
                {
                    var tt = t + ht - j;
                    if (tt >= 0 && tt < frames) s += g[j] * tmp[k * frames + tt];
                }
                result[k * frames + t] = s / wt[t];
            }
        return result;
    }

    /// <summary>concatenate([linspace(0, 1, n + 1, endpoint=False), linspace(1, 0, n + 2)])[1:-1]: 2n + 1 values.</summary>
    public static double[] Triangle(int n)
    {
        var up = Enumerable.Range(0, n + 1).Select(i => i / (double)(n + 1));
        var down = Enumerable.Range(0, n + 2).Select(i => 1 - i / (double)(n + 1));
        var all = up.Concat(down).ToArray();
        return all[1..^1];
    }

    /// <summary>scipy.signal.stft / istft with a periodic Hann window of n_fft, boundary zeros of n_fft / 2, and
    /// weighted overlap-add inversion (Σ w·frame / Σ w²). Scaling cancels between the two.</summary>
    private sealed class GateStft(int nFft, int hop)
    {
        private readonly double[] window = Windows.Get(WindowType.Hann, nFft, periodic: true);
        private readonly Fft fft = new(nFft);

        public (double[] Re, double[] Im, int Frames) Forward(ReadOnlySpan<float> y)
        {
            var pad = nFft / 2;
            var padded = y.Length + 2 * pad;
            var frames = 1 + Math.Max(0, (int)Math.Ceiling((padded - nFft) / (double)hop));
            var bins = nFft / 2 + 1;
            var re = new double[bins * frames];
            var im = new double[bins * frames];
            var bre = new double[nFft];
            var bim = new double[nFft];
            for (var t = 0; t < frames; t++)
            {
                for (var n = 0; n < nFft; n++)
                {
                    var i = t * hop + n - pad;
                    bre[n] = i >= 0 && i < y.Length ? y[i] * window[n] : 0;
                    bim[n] = 0;
                }
                fft.Forward(bre, bim);
                for (var k = 0; k < bins; k++)
                {
                    re[k * frames + t] = bre[k];
                    im[k * frames + t] = bim[k];
                }
            }
            return (re, im, frames);
        }

        public float[] Inverse(double[] re, double[] im, int frames, int length)
        {
            var pad = nFft / 2;
            var total = (frames - 1) * hop + nFft;
            var acc = new double[total];
            var norm = new double[total];
            var bre = new double[nFft];
            var bim = new double[nFft];
            var bins = nFft / 2 + 1;
            for (var t = 0; t < frames; t++)
            {
                for (var k = 0; k < bins; k++)
                {
                    bre[k] = re[k * frames + t];
                    bim[k] = im[k * frames + t];
                }
                for (var k = bins; k < nFft; k++)
                {
                    bre[k] = bre[nFft - k];                                  // Hermitian symmetry
                    bim[k] = -bim[nFft - k];
                }
                fft.Inverse(bre, bim);
                for (var n = 0; n < nFft; n++)
                {
                    acc[t * hop + n] += bre[n] / nFft * window[n];
                    norm[t * hop + n] += window[n] * window[n];
                }
            }
            var output = new float[length];
            for (var i = 0; i < length; i++)
            {
                var j = i + pad;
                output[i] = j < total && norm[j] > 1e-10 ? (float)(acc[j] / norm[j]) : 0f;
            }
            return output;
        }
    }
}
