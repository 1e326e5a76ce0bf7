using AverLab.Media.Features;

namespace AverLab.Media.Tests.Features;

public sealed class HandcraftedFeaturesTests
{
    private static float[] Clicks(int sr, double bpm, double seconds)
    {
        var y = new float[(int)(sr * seconds)];
        var rng = new Random(5);
        for (var i = 0; i < y.Length; i++) y[i] = (float)(0.001 * (rng.NextDouble() - 0.5));
        var period = 60.0 / bpm * sr;
        for (var b = 0.0; b < y.Length; b += period)
            for (var i = 0; i < 200 && (int)b + i < y.Length; i++) y[(int)b + i] += (float)(Math.Exp(-i / 30.0) * Math.Sin(i * 0.9));
        return y;
    }

    [Fact]
    public void ClickTrackGivesItsTempoAndRegularBeats()
    {
        const int sr = 22050;
        var y = Clicks(sr, 120, 8);
        var onset = Rhythm.OnsetStrength(y, sr);
        var (tempo, beats) = Rhythm.BeatTrack(onset, sr);
        Assert.InRange(tempo, 117, 123);
        Assert.InRange(beats.Length, 12, 17);
        var intervals = beats.Zip(beats.Skip(1), (a, b) => (b - a) * 512.0 / sr).ToArray();
        Assert.All(intervals, d => Assert.InRange(d, 0.45, 0.55));
    }

    [Fact]
    public void VectorHas1020NamedFiniteValuesAndItsMfccBlockMatchesTheExtractor()
    {
        var e = GoldenFixture.Load(1);
        var y = GoldenFixture.Input(e);
        var v = HandcraftedFeatures.Extract(y, 48000);
        Assert.Equal(1020, v.Length);
        Assert.Equal(1020, HandcraftedFeatures.Names.Count);
        Assert.Equal(1020, HandcraftedFeatures.Names.Distinct().Count());
        Assert.All(v, x => Assert.True(float.IsFinite(x)));
        var mfcc = new MfccExtractor(new MfccOptions { NMfcc = 40, Mel = new MelSpectrogramOptions { SampleRate = 48000, Stft = new StftOptions { HopLength = 512 } } }).Extract(y);
        var at = HandcraftedFeatures.Names.ToList().IndexOf("mfcc3.mean");
        Assert.Equal(112 + 12, at);
        Assert.Equal(Statistics.Moments(mfcc.Row(3)).Mean, v[at], 1e-3);
        Assert.Equal("mel0.db_mean", HandcraftedFeatures.Names[636]);
        Assert.Equal(v, HandcraftedFeatures.Extract(y, 48000)); // deterministic
        Assert.Throws<ArgumentException>(() => HandcraftedFeatures.Extract(new float[1000], 22050));
    }

    /// <summary>The vector shares one STFT/mel pass between its MFCC, onset and mel-dB sections and sorts in place:
    /// the values are those of each section computed on its own through the public transforms, bit for bit.</summary>
    [Theory]
    [InlineData(48000)]
    [InlineData(22050)]
    public void SharedPassesGiveTheValuesOfEachSectionComputedAlone(int sr)
    {
        var y = GoldenFixture.Input(GoldenFixture.Load(1));
        var v = HandcraftedFeatures.Extract(y, sr);
        var stft = new StftOptions { NFft = 2048, HopLength = 512 };
        var expected = new List<float>();
        void Stats(ReadOnlySpan<float> x)
        {
            var (m, sd, sk, k) = Statistics.Moments(x);
            expected.AddRange([(float)m, (float)sd, (float)sk, (float)k]);
        }
        var mfcc = new MfccExtractor(new MfccOptions { NMfcc = 40, Mel = new MelSpectrogramOptions { SampleRate = sr, NMels = 128, Stft = stft } }).Extract(y);
        foreach (var block in new[] { mfcc, Deltas.Compute(mfcc, 9, 1), Deltas.Compute(mfcc, 9, 2) })
            for (var r = 0; r < block.Rows; r++) Stats(block.Row(r));
        Assert.Equal(expected, v[112..592]);
        var onset = Rhythm.OnsetStrength(y, sr, 2048, 512);
        var (om, os, osk, oku) = Statistics.Moments(onset);
        Assert.Equal(new[] { (float)om, (float)os, (float)osk, (float)oku, onset.Max() }, v[592..597]);
        var melDb = Decibels.PowerToDb(new MelSpectrogramExtractor(new MelSpectrogramOptions { SampleRate = sr, Stft = stft }).Extract(y));
        for (var m = 0; m < 128; m++)
        {
            var (mm, ms, _, _) = Statistics.Moments(melDb.Row(m));
            Assert.Equal((float)mm, v[636 + 3 * m]);
            Assert.Equal((float)ms, v[636 + 3 * m + 1]);
        }
        var abs = y.Select(Math.Abs).OrderBy(a => a).ToArray();
        Assert.Equal((float)(abs.Length % 2 == 1 ? abs[abs.Length / 2] : 0.5 * (abs[abs.Length / 2 - 1] + abs[abs.Length / 2])), v[10]);
    }

    [Theory]
    [InlineData(1, 31)]
    [InlineData(2, 31)]
    [InlineData(7, 31)]
    [InlineData(31, 31)]
    [InlineData(130, 31)]
    [InlineData(1025, 31)]
    [InlineData(50, 5)]
    [InlineData(50, 1)]
    public void RunningMedianEqualsSortingEachReflectedWindow(int n, int kernel)
    {
        var rng = new Random(n * 100 + kernel);
        // Repeated values (quantised) and zeros, as in a magnitude spectrogram's silent bins.
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.2 ? 0f : MathF.Round((float)rng.NextDouble() * 8) / 8).ToArray();
        var output = new float[n];
        Hpss.RunningMedian(x, new float[kernel], output);
        for (var i = 0; i < n; i++)
        {
            var window = Enumerable.Range(i - kernel / 2, kernel).Select(j => x[Reflect(j, n)]).Order().ToArray();
            Assert.Equal(window[kernel / 2], output[i]);
        }
    }

    /// <summary>The median filters that run many lines at once in vectors (bins along time, frames along frequency) give
    /// the medians of the sorted reflected windows, as the one-line path does, on shapes that do and do not fill the
    /// vectors; with a NaN the one-line path runs.</summary>
    [Theory]
    [InlineData(1025, 130, 31)]
    [InlineData(37, 17, 31)]
    [InlineData(7, 40, 31)]
    [InlineData(64, 33, 5)]
    [InlineData(20, 20, 1)]
    public void VectorizedMedianFiltersEqualSortingEachReflectedWindow(int rows, int cols, int kernel)
    {
        var rng = new Random(rows * 1000 + cols + kernel);
        var m = new FeatureMatrix(rows, cols, Enumerable.Range(0, rows * cols)
            .Select(_ => rng.NextDouble() < 0.2 ? 0f : MathF.Round((float)rng.NextDouble() * 8) / 8 + (rng.NextDouble() < 0.5 ? 0 : (float)rng.NextDouble())).ToArray());
        float[] h = new float[rows * cols], p = new float[rows * cols], hs = new float[rows * cols], ps = new float[rows * cols];
        Hpss.MedianFilters(m, kernel, h, p);
        Hpss.MedianFilters(m, kernel, hs, ps, vectorized: false);
        float Median(IEnumerable<float> window) => window.Order().ElementAt(kernel / 2);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                Assert.Equal(Median(Enumerable.Range(c - kernel / 2, kernel).Select(j => m[r, Reflect(j, cols)])), h[r * cols + c]);
                Assert.Equal(Median(Enumerable.Range(r - kernel / 2, kernel).Select(j => m[Reflect(j, rows), c])), p[r * cols + c]);
            }
        Assert.Equal(hs, h);
        Assert.Equal(ps, p);
        m.Data[rows * cols / 2] = float.NaN;
        Hpss.MedianFilters(m, kernel, h, p);
        Hpss.MedianFilters(m, kernel, hs, ps, vectorized: false);
        Assert.Equal(hs, h);
        Assert.Equal(ps, p);
    }

    /// <summary>The soft masks, computed in vectors for power 2, are the element-by-element formula of librosa.util.softmask
    /// on the two medians, zeros and ties included.</summary>
    [Fact]
    public void SoftMasksEqualTheElementwiseFormula()
    {
        const int rows = 300, cols = 45;
        var rng = new Random(11);
        var m = new FeatureMatrix(rows, cols, Enumerable.Range(0, rows * cols)
            .Select(_ => rng.NextDouble() < 0.3 ? 0f : MathF.Round((float)rng.NextDouble() * 4) / 4 + (rng.NextDouble() < 0.5 ? 0 : (float)rng.NextDouble())).ToArray());
        var (harmonic, percussive) = Hpss.Separate(m);
        float[] h = new float[rows * cols], p = new float[rows * cols];
        Hpss.MedianFilters(m, 31, h, p);
        for (var i = 0; i < h.Length; i++)
        {
            double hv = h[i], pv = p[i], z = Math.Max(hv, pv);
            float eh = 0, ep = 0;
            if (z >= 1.1754943508222875e-38)
            {
                double mh = hv == z ? 1 : hv / z * (hv / z), mp = pv == z ? 1 : pv / z * (pv / z);
                eh = (float)(m.Data[i] * mh / (mh + mp));
                ep = (float)(m.Data[i] * mp / (mh + mp));
            }
            Assert.Equal(eh, harmonic.Data[i]);
            Assert.Equal(ep, percussive.Data[i]);
        }
    }

    /// <summary>The waveform's median |x| comes from a selection, not a sort: the same value for odd and even counts,
    /// repeated values and NaN (sorted first, as Array.Sort puts it).</summary>
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(17, 0)]
    [InlineData(1000, 0)]
    [InlineData(66151, 0)]
    [InlineData(66150, 0)]
    [InlineData(66150, 3)]
    public void MedianBySelectionEqualsTheSortedMiddle(int n, int nans)
    {
        var rng = new Random(n + nans);
        for (var rep = 0; rep < 5; rep++)
        {
            var a = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.3 ? 0f : MathF.Round((float)rng.NextDouble() * (rep + 1) * 50) / 64).ToArray();
            for (var i = 0; i < nans; i++) a[rng.Next(n)] = float.NaN;
            var sorted = a.ToArray();
            Array.Sort(sorted);
            var expected = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
            Assert.Equal(expected, HandcraftedFeatures.MedianInPlace(a));
        }
    }

    /// <summary>scipy.ndimage 'reflect', written out independently of Hpss's.</summary>
    private static int Reflect(int j, int n)
    {
        while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - j - 1;
        return j;
    }

    [Fact]
    public void HpssSplitsATonePlusClicks()
    {
        const int sr = 22050;
        var clicks = Clicks(sr, 120, 3);
        var y = clicks.Select((c, i) => c + (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / sr))).ToArray();
        var mag = SpectralFeatures.Magnitude(y);
        var (h, p) = Hpss.Separate(mag);
        var bin440 = (int)Math.Round(440.0 * 2048 / sr);
        double hTone = 0, pTone = 0, hHigh = 0, pHigh = 0;
        for (var t = 0; t < mag.Cols; t++)
        {
            hTone += h[bin440, t];
            pTone += p[bin440, t];
            for (var k = 400; k < 600; k++) { hHigh += h[k, t]; pHigh += p[k, t]; }
        }
        Assert.True(hTone > 10 * pTone, $"tone: harmonic {hTone}, percussive {pTone}");
        Assert.True(pHigh > hHigh, $"clicks: harmonic {hHigh}, percussive {pHigh}");
    }

    [Fact]
    public void StandardScalerFitsTransformsAndRoundTripsThroughJson()
    {
        float[][] rows = [[1, 10, 5], [3, 10, 7], [5, 10, 9]];
        var s = StandardScaler.Fit(rows);
        Assert.Equal([3.0, 10.0, 7.0], s.Mean);
        Assert.Equal(Math.Sqrt(8.0 / 3), s.Scale[0], 1e-12);
        Assert.Equal(1.0, s.Scale[1]); // constant feature: sklearn leaves it unscaled
        var z = s.Transform(rows[0]);
        Assert.Equal(-Math.Sqrt(1.5), z[0], 1e-6);
        Assert.Equal(0f, z[1]);
        var path = Path.Combine(Path.GetTempPath(), $"scaler-{Guid.NewGuid():N}.json");
        try
        {
            s.Save(path);
            var l = StandardScaler.Load(path);
            Assert.Equal(s.Mean, l.Mean);
            Assert.Equal(s.Scale, l.Scale);
            Assert.Equal(rows[2], l.InverseTransform(l.Transform(rows[2])).Select(v => MathF.Round(v, 4)));
            File.WriteAllText(path, "{\"mean\":[1],\"scale\":[0]}");
            Assert.Contains(path, Assert.Throws<InvalidDataException>(() => StandardScaler.Load(path)).Message);
        }
        finally { File.Delete(path); }
        Assert.Throws<ArgumentException>(() => s.Transform(new float[2]));
    }
}
