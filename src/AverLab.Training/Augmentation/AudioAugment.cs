namespace AverLab.Training.Augmentation;

/// <summary>Waveform augmentations, each a pure function of the samples and a seeded generator (the loader seeds
/// it from (seed, epoch, item), so augmented data is identical run to run).</summary>
public static class AudioAugment
{
    /// <summary>Additive white Gaussian noise at an SNR in dB: noise = N(0,1)·sqrt(Ps·10^(−snr/10)), Ps the mean power.</summary>
    public static float[] Awgn(float[] x, double snrDb, Random rng)
    {
        double ps = 0;
        foreach (var v in x) ps += (double)v * v;
        ps /= Math.Max(1, x.Length);
        var sigma = Math.Sqrt(ps * Math.Pow(10, -snrDb / 10));
        var y = new float[x.Length];
        for (var i = 0; i < x.Length; i++) y[i] = (float)(x[i] + sigma * Gaussian(rng));
        return y;
    }

    /// <summary>Scales by a gain in dB.</summary>
    public static float[] Gain(float[] x, double db)
    {
        var g = (float)Math.Pow(10, db / 20);
        return x.Select(v => v * g).ToArray();
    }

    /// <summary>Shifts by a number of samples (positive: later), filling with zeros.</summary>
    public static float[] Shift(float[] x, int samples)
    {
        var y = new float[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var j = i - samples;
            if (j >= 0 && j < x.Length) y[i] = x[j];
        }
        return y;
    }

    /// <summary>Plays the clip at <paramref name="rate"/> × speed by linear-interpolation resampling (tempo and pitch
    /// change together, like sox's `speed`), keeping the length by zero-padding or cropping.</summary>
    public static float[] Speed(float[] x, double rate) => Resample(x, rate, x.Length);

    /// <summary>Shifts pitch by <paramref name="semitones"/> keeping the duration: resample by 2^(s/12), then
    /// stretch back by overlap-add of 40 ms Hann grains (a simple WSOLA-free granular stretch).</summary>
    public static float[] PitchShift(float[] x, double semitones, int sampleRate)
    {
        var factor = Math.Pow(2, semitones / 12);
        var shifted = Resample(x, factor, (int)Math.Round(x.Length / factor));
        return TimeStretch(shifted, (double)shifted.Length / x.Length, sampleRate, x.Length);
    }

    /// <summary>Changes tempo by <paramref name="rate"/> without changing pitch (granular overlap-add), output
    /// length <paramref name="length"/> (default: the stretched length).</summary>
    public static float[] TimeStretch(float[] x, double rate, int sampleRate, int? length = null)
    {
        var grain = Math.Max(32, sampleRate / 25);
        var hop = grain / 2;
        var outLen = length ?? (int)Math.Round(x.Length / rate);
        var y = new float[outLen];
        var norm = new float[outLen];
        var window = Enumerable.Range(0, grain).Select(i => (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / grain))).ToArray();
        for (var o = 0; o < outLen; o += hop)
        {
            var src = (int)Math.Round(o * rate);
            for (var i = 0; i < grain && o + i < outLen; i++)
            {
                var s = src + i;
                if (s >= x.Length) break;
                y[o + i] += x[s] * window[i];
                norm[o + i] += window[i];
            }
        }
        for (var i = 0; i < outLen; i++) if (norm[i] > 1e-3f) y[i] /= norm[i];
        return y;
    }

    private static float[] Resample(float[] x, double rate, int outLen)
    {
        var y = new float[outLen];
        for (var i = 0; i < outLen; i++)
        {
            var pos = i * rate;
            var j = (int)pos;
            if (j + 1 >= x.Length) break;
            var frac = (float)(pos - j);
            y[i] = x[j] * (1 - frac) + x[j + 1] * frac;
        }
        return y;
    }

    internal static double Gaussian(Random rng)
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
