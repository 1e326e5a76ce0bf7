using AverLab.Media.Features;

namespace AverLab.Media.Tests.Features;

public sealed class DspTests
{
    private static (double[] Re, double[] Im) NaiveDft(double[] re, double[] im)
    {
        var n = re.Length;
        var r = new double[n];
        var i = new double[n];
        for (var k = 0; k < n; k++)
            for (var t = 0; t < n; t++)
            {
                var a = -2 * Math.PI * ((long)k * t % n) / n;
                r[k] += re[t] * Math.Cos(a) - im[t] * Math.Sin(a);
                i[k] += re[t] * Math.Sin(a) + im[t] * Math.Cos(a);
            }
        return (r, i);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(1024)]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(400)]
    [InlineData(882)]
    public void FftMatchesNaiveDft(int n)
    {
        var rng = new Random(n);
        var re = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var (er, ei) = NaiveDft(re, im);
        var fr = (double[])re.Clone();
        var fi = (double[])im.Clone();
        new Fft(n).Forward(fr, fi);
        for (var k = 0; k < n; k++)
        {
            Assert.Equal(er[k], fr[k], 1e-9 * n);
            Assert.Equal(ei[k], fi[k], 1e-9 * n);
        }
        new Fft(n).Inverse(fr, fi);
        for (var k = 0; k < n; k++) Assert.Equal(re[k], fr[k] / n, 1e-12 * n);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(400)]
    [InlineData(6)]
    [InlineData(7)]
    public void RealFftMatchesComplexFft(int n)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var (er, ei) = NaiveDft(x, new double[n]);
        var rf = new RealFft(n);
        var re = new double[rf.Bins];
        var im = new double[rf.Bins];
        rf.Forward(x, re, im);
        for (var k = 0; k < rf.Bins; k++)
        {
            Assert.Equal(er[k], re[k], 1e-9 * n);
            Assert.Equal(ei[k], im[k], 1e-9 * n);
        }
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(64)]
    [InlineData(30)]
    [InlineData(18)]
    [InlineData(8)]
    public void PowerSpectrogramEqualsSquaredComplexStft(int nFft)
    {
        var rng = new Random(nFft);
        var y = Enumerable.Range(0, 5000).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var opts = new StftOptions { NFft = nFft, HopLength = nFft / 2 };
        var (re, im) = new Stft(opts).Complex(y);
        var p = new Stft(opts).Spectrogram(y);
        for (var i = 0; i < p.Data.Length; i++)
        {
            var e = (double)re.Data[i] * re.Data[i] + (double)im.Data[i] * im.Data[i];
            Assert.Equal(e, p.Data[i], 1e-5 * Math.Max(1, e));
        }
    }

    [Fact]
    public void WindowsArePeriodicLikeScipy()
    {
        var hann = Windows.Get(WindowType.Hann, 4);
        Assert.Equal([0.0, 0.5, 1.0, 0.5], hann.Select(v => Math.Round(v, 12)));
        var hamming = Windows.Get(WindowType.Hamming, 4);
        Assert.Equal([0.08, 0.54, 1.0, 0.54], hamming.Select(v => Math.Round(v, 12)));
        Assert.Equal([0.0, 0.0, 0.0, 0.5, 1.0, 0.5, 0.0, 0.0], Windows.PadCenter(hann.Select(v => Math.Round(v, 12)).ToArray(), 8));
    }

    [Fact]
    public void StftWithReflectPaddingMatchesADirectComputation()
    {
        var rng = new Random(3);
        var y = Enumerable.Range(0, 300).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var opts = new StftOptions { NFft = 64, HopLength = 16, WinLength = 48, Window = WindowType.Hamming, PadMode = PadMode.Reflect };
        var (re, im) = new Stft(opts).Complex(y);
        Assert.Equal(1 + 300 / 16, re.Cols);
        Assert.Equal(33, re.Rows);
        // Frame 1 starts at sample 16 - 32 = -16: reflected samples y[16..1].
        var w = Windows.PadCenter(Windows.Get(WindowType.Hamming, 48), 64);
        var frame = new double[64];
        for (var i = 0; i < 64; i++)
        {
            var idx = 16 - 32 + i;
            frame[i] = y[idx < 0 ? -idx : idx] * w[i];
        }
        var (er, ei) = NaiveDft(frame, new double[64]);
        for (var k = 0; k < 33; k++)
        {
            Assert.Equal(er[k], re[k, 1], 1e-5);
            Assert.Equal(ei[k], im[k, 1], 1e-5);
        }
    }

    [Fact]
    public void MelScalesRoundTripAndSlaneyBreakpoint()
    {
        Assert.Equal(15.0, MelScale.HzToMel(1000), 1e-12);
        Assert.Equal(1000.0, MelScale.MelToHz(15.0), 1e-9);
        foreach (var f in new[] { 0.0, 300.0, 1000.0, 4410.0, 24000.0 })
        {
            Assert.Equal(f, MelScale.MelToHz(MelScale.HzToMel(f)), 1e-6);
            Assert.Equal(f, MelScale.MelToHz(MelScale.HzToMel(f, htk: true), htk: true), 1e-6);
        }
        var fb = MelScale.Filterbank(16000, 512, 40, norm: MelNorm.None, htk: true);
        Assert.Equal(40, fb.Rows);
        Assert.Equal(257, fb.Cols);
        Assert.True(fb.Data.Max() <= 1f && fb.Data.Max() > 0.9f);
    }

    [Fact]
    public void PowerToDbFollowsLibrosa()
    {
        var s = new FeatureMatrix(1, 4, [1f, 10f, 1e-12f, 100f]);
        Assert.Equal([0f, 10f, -100f, 20f], Decibels.PowerToDb(s, topDb: null).Data);
        Assert.Equal([0f, 10f, -60f, 20f], Decibels.PowerToDb(s, topDb: 80).Data);
        Assert.Equal([-20f, -10f, -100f, 0f], Decibels.PowerToDb(s, reference: null, topDb: 100).Data);
    }

    [Fact]
    public void DctIsOrthonormal()
    {
        var d = Dct.Matrix(16, 16);
        for (var a = 0; a < 16; a++)
            for (var b = 0; b < 16; b++)
            {
                double dot = 0;
                for (var i = 0; i < 16; i++) dot += d[a * 16 + i] * d[b * 16 + i];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 1e-12);
            }
    }

    [Fact]
    public void MfccLifterScalesCoefficients()
    {
        var y = Enumerable.Range(0, 8000).Select(i => (float)Math.Sin(i * 0.1)).ToArray();
        var plain = new MfccExtractor(new MfccOptions { NMfcc = 13 }).Extract(y);
        var lift = new MfccExtractor(new MfccOptions { NMfcc = 13, Lifter = 22 }).Extract(y);
        var factor = 1 + 11 * Math.Sin(Math.PI * 3 / 22);
        Assert.Equal(plain[2, 5] * factor, lift[2, 5], Math.Abs(plain[2, 5] * factor) * 1e-5 + 1e-5);
    }

    [Fact]
    public void DeltaOfALinearRampIsItsSlope()
    {
        var m = new FeatureMatrix(1, 30, Enumerable.Range(0, 30).Select(i => 2f * i + 1).ToArray());
        Assert.All(Deltas.Compute(m).Data, v => Assert.Equal(2f, v, 1e-4f));
        Assert.All(Deltas.Compute(m, order: 2).Data, v => Assert.Equal(0f, v, 1e-4f));
        Assert.Throws<ArgumentException>(() => Deltas.Compute(new FeatureMatrix(1, 5)));
    }
}
