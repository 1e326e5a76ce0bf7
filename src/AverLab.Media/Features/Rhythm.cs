namespace AverLab.Media.Features;

/// <summary>Onset strength, tempo and beats with librosa 0.10's algorithms and defaults (hop 512, n_fft 2048,
/// 128-band mel power spectrogram in dB).</summary>
public static class Rhythm
{
    /// <summary>librosa.onset.onset_strength(y, sr, lag=1, max_size=1, center=True, aggregate=mean): the mean over
    /// mel bands of max(0, S_dB[:, t] - S_dB[:, t-1]), shifted right by lag + n_fft / (2 hop) frames (zeros in
    /// front) and cut to the spectrogram's frame count.</summary>
    public static float[] OnsetStrength(ReadOnlySpan<float> y, int sr, int nFft = 2048, int hopLength = 512, int nMels = 128)
    {
        var mel = new MelSpectrogramExtractor(new MelSpectrogramOptions
        {
            SampleRate = sr, NMels = nMels, Stft = new StftOptions { NFft = nFft, HopLength = hopLength },
        }).Extract(y);
        return OnsetStrengthFromMelDb(Decibels.PowerToDb(mel), nFft, hopLength);
    }

    /// <summary><see cref="OnsetStrength"/> from the mel power spectrogram in dB it starts from (power_to_db, ref 1,
    /// top_db 80), for callers that computed it already.</summary>
    public static float[] OnsetStrengthFromMelDb(FeatureMatrix s, int nFft = 2048, int hopLength = 512)
    {
        ArgumentNullException.ThrowIfNull(s);
        int frames = s.Cols, lag = 1, pad = lag + nFft / (2 * hopLength);
        var o = new float[frames];
        for (var t = lag; t < frames; t++)
        {
            var dst = t - lag + pad;
            if (dst >= frames) break;
            double acc = 0;
            for (var m = 0; m < s.Rows; m++) acc += Math.Max(0.0, s[m, t] - s[m, t - lag]);
            o[dst] = (float)(acc / s.Rows);
        }
        return o;
    }

    /// <summary>librosa tempo (feature.rhythm.tempo, aggregate mean): the autocorrelation tempogram (window 384 frames,
    /// Hann, linear-ramp centring, each frame scaled to max 1) averaged over time, weighted by a log-normal prior
    /// around 120 BPM (std 1 octave), tempi at or above 320 BPM excluded. Returns BPM.</summary>
    public static double Tempo(float[] onsetEnvelope, int sr, int hopLength = 512, double startBpm = 120, int winLength = 384, double maxTempo = 320)
    {
        var tg = TempogramMean(onsetEnvelope, winLength);
        double best = double.NegativeInfinity, bestBpm = 0;
        var maxIdx = -1; // np.argmax(bpms < max_tempo): first lag with bpm below max_tempo
        for (var k = 1; k < winLength; k++)
            if (60.0 * sr / (hopLength * k) < maxTempo) { maxIdx = k; break; }
        if (maxIdx < 0) maxIdx = 0; // no lag qualifies: numpy's argmax of all-False is 0
        for (var k = Math.Max(maxIdx, 1); k < winLength; k++)
        {
            var bpm = 60.0 * sr / (hopLength * k);
            var prior = -0.5 * Math.Pow((Math.Log2(bpm) - Math.Log2(startBpm)) / 1.0, 2);
            var score = Math.Log(1 + 1e6 * tg[k]) + prior;
            if (score > best) { best = score; bestBpm = bpm; }
        }
        return bestBpm;
    }

    internal static double[] TempogramMean(float[] env, int winLength)
    {
        int n = env.Length, half = winLength / 2;
        var padded = new double[n + 2 * half];
        for (var i = 0; i < n; i++) padded[half + i] = env[i];
        if (n > 0)
            for (var i = 0; i < half; i++)
            {
                padded[i] = env[0] * (double)i / half;                        // linear_ramp from 0 towards the edge
                padded[half + n + i] = env[n - 1] * (double)(half - 1 - i) / half;
            }
        var window = Windows.Get(WindowType.Hann, winLength);
        var frame = new double[winLength];
        var mean = new double[winLength];
        var ac = new double[winLength];
        var frames = Math.Min(n, padded.Length - winLength + 1);
        for (var t = 0; t < frames; t++)
        {
            for (var i = 0; i < winLength; i++) frame[i] = padded[t + i] * window[i];
            double max = 0;
            for (var lag = 0; lag < winLength; lag++)
            {
                ac[lag] = VectorMath.Dot(frame.AsSpan(0, winLength - lag), frame.AsSpan(lag));
                max = Math.Max(max, Math.Abs(ac[lag]));
            }
            var scale = max < 1.1754943508222875e-38 ? 1 : max;
            for (var lag = 0; lag < winLength; lag++) mean[lag] += ac[lag] / scale;
        }
        for (var lag = 0; lag < winLength; lag++) mean[lag] /= Math.Max(frames, 1);
        return mean;
    }

    /// <summary>librosa.beat.beat_track(onset_envelope, tightness=100, trim=True): dynamic-programming beat tracker
    /// (Ellis 2007) at the estimated tempo. Returns (tempo BPM, beat frame indices).</summary>
    public static (double Tempo, int[] Beats) BeatTrack(float[] onsetEnvelope, int sr, int hopLength = 512, double tightness = 100)
    {
        var tempo = Tempo(onsetEnvelope, sr, hopLength);
        if (onsetEnvelope.All(v => v == 0) || tempo <= 0) return (tempo, []);
        var n = onsetEnvelope.Length;
        var period = (int)Math.Round(60.0 * sr / hopLength / tempo, MidpointRounding.ToEven);
        // Local score: onsets / std (ddof 1) convolved ('same') with a Gaussian of width period / 32.
        var mean = onsetEnvelope.Average(v => (double)v);
        var std = Math.Sqrt(onsetEnvelope.Sum(v => (v - mean) * (v - mean)) / Math.Max(n - 1, 1));
        var norm = onsetEnvelope.Select(v => std > 0 ? v / std : v).ToArray();
        var kernel = Enumerable.Range(-period, 2 * period + 1).Select(i => Math.Exp(-0.5 * Math.Pow(i * 32.0 / period, 2))).ToArray();
        var local = ConvolveSame(norm, kernel);
        // DP over predecessors 2*period .. period/2 frames back with a log-squared tightness penalty.
        var window0 = -2 * period;
        var window1 = -(int)Math.Round(period / 2.0, MidpointRounding.ToEven);
        var width = window1 - window0 + 1;
        var txwt = new double[width];
        for (var j = 0; j < width; j++) txwt[j] = -tightness * Math.Pow(Math.Log(-(double)(window0 + j) / period), 2);
        var backlink = new int[n];
        var cum = new double[n];
        var localMax = local.Max();
        var firstBeat = true;
        for (var i = 0; i < n; i++)
        {
            var zpad = Math.Max(0, Math.Min(-(window0 + i), width));
            double bestScore = double.NegativeInfinity;
            var bestJ = 0;
            for (var j = 0; j < width; j++)
            {
                var c = txwt[j] + (j >= zpad ? cum[window0 + i + j] : 0);
                if (c > bestScore) { bestScore = c; bestJ = j; }
            }
            cum[i] = local[i] + bestScore;
            if (firstBeat && local[i] < 0.01 * localMax) backlink[i] = -1;
            else
            {
                backlink[i] = window0 + i + bestJ;
                firstBeat = false;
            }
        }
        // Last beat: the last local max of the cumulative score above half the median of local maxima.
        var maxes = new List<double>();
        var isMax = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var prev = i > 0 ? cum[i - 1] : cum[i];
            var next = i < n - 1 ? cum[i + 1] : cum[i];
            isMax[i] = cum[i] > prev && cum[i] >= next;
            if (isMax[i]) maxes.Add(cum[i]);
        }
        if (maxes.Count == 0) return (tempo, []);
        maxes.Sort();
        var med = maxes.Count % 2 == 1 ? maxes[maxes.Count / 2] : 0.5 * (maxes[maxes.Count / 2 - 1] + maxes[maxes.Count / 2]);
        var tail = -1;
        for (var i = 0; i < n; i++) if (isMax[i] && cum[i] * 2 > med) tail = i;
        if (tail < 0) return (tempo, []);
        var beats = new List<int> { tail };
        while (backlink[beats[^1]] >= 0) beats.Add(backlink[beats[^1]]);
        beats.Reverse();
        // Trim weak leading/trailing beats: smooth the local score at beats with a 5-point Hann, keep the span above
        // half its RMS (librosa keeps beats[valid.min():valid.max()], excluding the last valid one).
        var atBeats = beats.Select(b => local[b]).ToArray();
        var smooth = ConvolveSame(atBeats, [0.0, 0.5, 1.0, 0.5, 0.0]);
        var threshold = 0.5 * Math.Sqrt(smooth.Average(v => v * v));
        int lo = -1, hi = -1;
        for (var i = 0; i < smooth.Length; i++)
            if (smooth[i] > threshold) { if (lo < 0) lo = i; hi = i; }
        if (lo < 0) return (tempo, []);
        return (tempo, beats.Skip(lo).Take(hi - lo).ToArray());
    }

    /// <summary>scipy.signal.convolve(x, k, 'same'): the centred part of the full convolution, length of x.</summary>
    internal static double[] ConvolveSame(double[] x, double[] k)
    {
        var full = x.Length + k.Length - 1;
        var start = (full - x.Length) / 2;
        var o = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var idx = i + start;
            double acc = 0;
            for (var j = 0; j < k.Length; j++)
            {
                var xi = idx - j;
                if (xi >= 0 && xi < x.Length) acc += x[xi] * k[j];
            }
            o[i] = acc;
        }
        return o;
    }
}
