using System.Numerics;

namespace AverLab.Media.Features;

/// <summary>The 1020-value statistical feature vector of the hand-crafted-feature seed (feature MLP). Frame
/// features use librosa defaults at the clip's own rate: n_fft 2048, hop 512, Hann, centred; "4 stats" = mean,
/// std, skew, kurtosis over frames (<see cref="Statistics.Moments"/>). Layout, in order (see <see cref="Names"/>):
/// <list type="number">
/// <item>[0, 12) waveform: mean, std, skew, kurtosis, min, max, mean |x|, RMS, peak |x|, crest (peak / RMS),
///   median |x|, whole-clip zero-crossing rate.</item>
/// <item>[12, 36) 4 stats of each frame feature: zero-crossing rate, RMS, spectral centroid, bandwidth, rolloff
///   (0.85), flatness.</item>
/// <item>[36, 64) 4 stats of the 7 spectral-contrast bands.</item>
/// <item>[64, 112) 4 stats of the 12 chroma_stft bins.</item>
/// <item>[112, 592) 4 stats of 40 MFCC (128 mels, Slaney), then of their deltas, then of the delta-deltas
///   (width 9); per coefficient: mean, std, skew, kurtosis.</item>
/// <item>[592, 600) onset strength mean, std, skew, kurtosis, max; tempo (BPM); beat count; beats per second.</item>
/// <item>[600, 636) HPSS (median filters, kernel 31): mean harmonic magnitude, mean percussive magnitude, mean and
///   std over frames of the harmonic energy share H^2/(H^2 + P^2); then the time-mean of the harmonic part's
///   16-band mel power in dB (16 values) and of the percussive part's (16 values).</item>
/// <item>[636, 1020) 128-band mel power spectrogram in dB (power_to_db, ref 1, top_db 80): per band mean, std, max.</item>
/// </list>
/// The clip needs at least 9 frames (8 hops + 1: about 0.19 s at 22.05 kHz).</summary>
public static class HandcraftedFeatures
{
    public const int Length = 1020;
    private const int NFft = 2048, Hop = 512;

    public static IReadOnlyList<string> Names { get; } = BuildNames();

    public static float[] Extract(ReadOnlySpan<float> y, int sampleRate) => Extract(y, sampleRate, null);

    /// <summary><see cref="Extract(ReadOnlySpan{float}, int)"/>, calling <paramref name="stage"/> with a section's name as
    /// each section ends (a profiler's hook: the bench reads the thread's CPU clock there).</summary>
    internal static float[] Extract(ReadOnlySpan<float> y, int sampleRate, Action<string>? stage)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate));
        var stftOptions = new StftOptions { NFft = NFft, HopLength = Hop };
        if (stftOptions.FrameCount(y.Length) < 9)
            throw new ArgumentException($"a clip of {y.Length} samples gives fewer than 9 frames (hop {Hop}); the delta features need 9");
        var v = new List<float>(Length);
        var x = y.ToArray();

        // 1. Waveform statistics.
        var (mean, std, skew, kurt) = Statistics.Moments(x);
        double absSum = 0, sq = 0, peak = 0;
        foreach (var s in x) { absSum += Math.Abs(s); sq += (double)s * s; peak = Math.Max(peak, Math.Abs(s)); }
        var rms = Math.Sqrt(sq / x.Length);
        var abs = new float[x.Length];
        for (var i = 0; i < x.Length; i++) abs[i] = Math.Abs(x[i]);
        var median = MedianInPlace(abs);
        var crossings = 0;
        for (var i = 1; i < x.Length; i++) if ((x[i - 1] < 0) != (x[i] < 0)) crossings++;
        v.AddRange(new[] { mean, std, skew, kurt, x.Min(), x.Max(), absSum / x.Length, rms, peak, rms > 0 ? peak / rms : 0, median, (double)crossings / Math.Max(1, x.Length - 1) }.Select(d => (float)d));

        stage?.Invoke("waveform");
        // 2. Frame features.
        var work = Workspace.For(sampleRate);
        var mag = work.Stft.Spectrogram(y, 1.0);
        stage?.Invoke("stft");
        AddStats(v, TimeDomain.ZeroCrossingRate(y, NFft, Hop));
        AddStats(v, TimeDomain.Rms(y, NFft, Hop));
        var centroid = SpectralFeatures.Centroid(mag, sampleRate);
        AddStats(v, centroid);
        AddStats(v, SpectralFeatures.Bandwidth(mag, sampleRate, centroid));
        AddStats(v, SpectralFeatures.Rolloff(mag, sampleRate));
        AddStats(v, SpectralFeatures.Flatness(mag));

        stage?.Invoke("frame_stats");
        // 3-4. Contrast and chroma.
        AddRows(v, SpectralFeatures.Contrast(mag, sampleRate));
        stage?.Invoke("contrast");
        var squared = new float[mag.Data.Length];
        for (var i = 0; i < squared.Length; i++) squared[i] = mag.Data[i] * mag.Data[i];
        var power = new FeatureMatrix(mag.Rows, mag.Cols, squared);
        AddRows(v, Chroma.FromPowerSpectrogram(power, sampleRate));

        stage?.Invoke("chroma");
        // 5. MFCC and deltas.
        // One STFT and mel pass gives the MFCC and the 128-band mel power that sections 6 and 8 start from (each
        // computed its own before: the same values, three STFTs).
        var (mfcc, melPower) = work.Mfcc.ExtractWithMel(y);
        AddRows(v, mfcc);
        AddRows(v, Deltas.Compute(mfcc, 9, 1));
        AddRows(v, Deltas.Compute(mfcc, 9, 2));
        var melDb = Decibels.PowerToDb(melPower);

        stage?.Invoke("mfcc+deltas+mel_db");
        // 6. Onset, tempo, beats.
        var onset = Rhythm.OnsetStrengthFromMelDb(melDb, NFft, Hop);
        var (tempo, beats) = Rhythm.BeatTrack(onset, sampleRate, Hop);
        var (om, os, osk, oku) = Statistics.Moments(onset);
        var seconds = (double)y.Length / sampleRate;
        v.AddRange(new[] { om, os, osk, oku, onset.Max(), tempo, beats.Length, beats.Length / seconds }.Select(d => (float)d));

        stage?.Invoke("onset+beats");
        // 7. Harmonic/percussive.
        var (h, p) = Hpss.Separate(mag);
        stage?.Invoke("hpss");
        // Per frame, the energies summed over bins in order (row by row, one accumulator per frame).
        var eh = new double[mag.Cols];
        var ep = new double[mag.Cols];
        for (var k = 0; k < mag.Rows; k++)
        {
            var hr = h.Row(k);
            var pr = p.Row(k);
            for (var t = 0; t < mag.Cols; t++) { eh[t] += (double)hr[t] * hr[t]; ep[t] += (double)pr[t] * pr[t]; }
        }
        var share = new float[mag.Cols];
        for (var t = 0; t < mag.Cols; t++) share[t] = eh[t] + ep[t] > 0 ? (float)(eh[t] / (eh[t] + ep[t])) : 0.5f;
        var (sm, ss, _, _) = Statistics.Moments(share);
        v.AddRange(new[] { Mean(h.Data), Mean(p.Data), sm, ss }.Select(d => (float)d));
        var mel16 = work.Mel16;
        foreach (var part in new[] { h, p })
        {
            var db = Decibels.PowerToDb(MatMulSquared(mel16, part));
            for (var m = 0; m < 16; m++) v.Add((float)Statistics.Moments(db.Row(m)).Mean);
        }

        stage?.Invoke("hpss.stats");
        // 8. Mel dB statistics.
        for (var m = 0; m < melDb.Rows; m++)
        {
            var row = melDb.Row(m);
            var (mm, ms, _, _) = Statistics.Moments(row);
            v.Add((float)mm);
            v.Add((float)ms);
            var mx = float.NegativeInfinity;
            foreach (var a in row) mx = Math.Max(mx, a);
            v.Add(mx);
        }
        stage?.Invoke("mel_db.stats");
        if (v.Count != Length) throw new InvalidOperationException($"feature vector has {v.Count} values, expected {Length}");
        return v.ToArray();
    }

    /// <summary>The median (the mean of the two middle values for an even count, their sum in float as before) of
    /// <paramref name="a"/>, which it reorders: a selection instead of a full sort, the same order statistics.</summary>
    internal static double MedianInPlace(float[] a)
    {
        int n = a.Length, k = n / 2;
        if (HasNaN(a))
        {
            Array.Sort(a); // NaN first, as before
            return n % 2 == 1 ? a[k] : 0.5 * (a[k - 1] + a[k]);
        }
        var upper = Select(a, k);
        if (n % 2 == 1) return upper;
        var lower = float.NegativeInfinity; // the largest value left of position k, all at most a[k]
        for (var i = 0; i < k; i++) if (a[i] > lower) lower = a[i];
        return 0.5 * (lower + upper);
    }

    private static bool HasNaN(float[] a)
    {
        foreach (var v in a) if (float.IsNaN(v)) return true;
        return false;
    }

    /// <summary>Quickselect (median-of-3 pivots, insertion sort below 16): afterwards a[k] is the k-th smallest value,
    /// those before it are at most and those after at least it. No NaN.</summary>
    private static float Select(float[] a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (hi - lo >= 16)
        {
            var mid = lo + (hi - lo) / 2;
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            var pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) { (a[i], a[j]) = (a[j], a[i]); i++; j--; }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k]; // between the two parts: equal to the pivot
        }
        for (var i = lo + 1; i <= hi; i++)
        {
            var v = a[i];
            var j = i - 1;
            while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
            a[j + 1] = v;
        }
        return a[k];
    }

    /// <summary>The transforms of one sample rate, built once per thread (their filterbanks, windows and FFT tables; they
    /// own scratch buffers, hence one per thread) instead of once per clip.</summary>
    private sealed class Workspace
    {
        [ThreadStatic] private static Workspace? _current;

        private Workspace(int sampleRate)
        {
            SampleRate = sampleRate;
            var stft = new StftOptions { NFft = NFft, HopLength = Hop };
            Stft = new Stft(stft);
            Mfcc = new MfccExtractor(new MfccOptions
            {
                NMfcc = 40,
                Mel = new MelSpectrogramOptions { SampleRate = sampleRate, NMels = 128, Stft = stft },
            });
            Mel16 = MelScale.Filterbank(sampleRate, NFft, 16);
        }

        public int SampleRate { get; }
        public Stft Stft { get; }
        public MfccExtractor Mfcc { get; }
        public FeatureMatrix Mel16 { get; }

        public static Workspace For(int sampleRate) =>
            _current is { } w && w.SampleRate == sampleRate ? w : _current = new Workspace(sampleRate);
    }

    /// <summary>Enumerable.Average's sum: in double, in order.</summary>
    private static double Mean(float[] x)
    {
        double sum = 0;
        foreach (var a in x) sum += a;
        return sum / x.Length;
    }

    /// <summary>fb x mag^2 in float, each output summed over k in order; frames in vectors.</summary>
    private static FeatureMatrix MatMulSquared(FeatureMatrix fb, FeatureMatrix mag)
    {
        var o = new FeatureMatrix(fb.Rows, mag.Cols);
        int cols = mag.Cols, width = Vector<float>.Count;
        for (var m = 0; m < fb.Rows; m++)
        {
            var dst = o.Row(m);
            for (var k = 0; k < fb.Cols; k++)
            {
                var w = fb[m, k];
                if (w == 0) continue;
                var src = mag.Row(k);
                var t = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var vw = new Vector<float>(w);
                    for (; t + width <= cols; t += width)
                    {
                        var x = Vector.LoadUnsafe(ref src[0], (nuint)t);
                        (Vector.LoadUnsafe(ref dst[0], (nuint)t) + vw * x * x).StoreUnsafe(ref dst[0], (nuint)t);
                    }
                }
                for (; t < cols; t++) dst[t] += w * src[t] * src[t];
            }
        }
        return o;
    }

    private static void AddStats(List<float> v, ReadOnlySpan<float> x)
    {
        var (m, s, sk, k) = Statistics.Moments(x);
        v.Add((float)m);
        v.Add((float)s);
        v.Add((float)sk);
        v.Add((float)k);
    }

    private static void AddRows(List<float> v, FeatureMatrix f)
    {
        for (var r = 0; r < f.Rows; r++) AddStats(v, f.Row(r));
    }

    private static string[] BuildNames()
    {
        var n = new List<string>();
        string[] stats = ["mean", "std", "skew", "kurtosis"];
        void Stats(string prefix) => n.AddRange(stats.Select(s => $"{prefix}.{s}"));
        n.AddRange(["wave.mean", "wave.std", "wave.skew", "wave.kurtosis", "wave.min", "wave.max", "wave.abs_mean", "wave.rms",
            "wave.peak", "wave.crest", "wave.abs_median", "wave.zcr"]);
        foreach (var f in new[] { "zcr", "rms", "centroid", "bandwidth", "rolloff", "flatness" }) Stats(f);
        for (var i = 0; i < 7; i++) Stats($"contrast{i}");
        for (var i = 0; i < 12; i++) Stats($"chroma{i}");
        foreach (var block in new[] { "", ".delta", ".delta2" })
            for (var i = 0; i < 40; i++) Stats($"mfcc{i}{block}");
        n.AddRange(["onset.mean", "onset.std", "onset.skew", "onset.kurtosis", "onset.max", "tempo", "beats.count", "beats.per_second"]);
        n.AddRange(["hpss.harmonic_mean", "hpss.percussive_mean", "hpss.harmonic_share.mean", "hpss.harmonic_share.std"]);
        for (var i = 0; i < 16; i++) n.Add($"hpss.harmonic_mel{i}.db_mean");
        for (var i = 0; i < 16; i++) n.Add($"hpss.percussive_mel{i}.db_mean");
        for (var i = 0; i < 128; i++) n.AddRange([$"mel{i}.db_mean", $"mel{i}.db_std", $"mel{i}.db_max"]);
        return n.ToArray();
    }
}
