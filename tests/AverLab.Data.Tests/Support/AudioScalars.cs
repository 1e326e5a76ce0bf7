using AverLab.Media.Features;

namespace AverLab.Data.Tests.Support;

/// <summary>Single scalar descriptors of a clip, each a candidate shortcut the synthetic corpus must not allow:
/// mean energy (dB), an F0 proxy (median autocorrelation pitch over loud frames), zero-crossing rate, spectral
/// centroid (Hz) and duration (s).</summary>
public static class AudioScalars
{
    public static readonly string[] Names = ["mean energy", "mean F0 proxy", "zero-crossing rate", "spectral centroid", "duration"];

    public static double[] Compute(float[] y, int sampleRate, Stft stft)
    {
        double energy = 0;
        foreach (var v in y) energy += v * v;
        var meanDb = 10 * Math.Log10(energy / y.Length + 1e-12);
        var zc = 0;
        for (var i = 1; i < y.Length; i++) if ((y[i - 1] >= 0) != (y[i] >= 0)) zc++;
        var zcr = zc / (double)y.Length;
        var spec = stft.Spectrogram(y);
        double num = 0, den = 0;
        var nfft = stft.Options.NFft;
        for (var f = 0; f < spec.Rows; f++)
        {
            var hz = f * (double)sampleRate / nfft;
            var row = spec.Row(f);
            foreach (var p in row) { num += hz * p; den += p; }
        }
        var centroid = num / Math.Max(den, 1e-12);
        return [meanDb, F0Proxy(y, sampleRate), zcr, centroid, y.Length / (double)sampleRate];
    }

    private static double F0Proxy(float[] y, int sr)
    {
        var frame = sr / 25; // 40 ms
        var hop = frame;
        var lagMin = sr / 400;
        var lagMax = sr / 70;
        var frames = new List<(double energy, double f0)>();
        for (var s = 0; s + frame + lagMax < y.Length; s += hop)
        {
            double e = 0;
            for (var i = 0; i < frame; i++) e += y[s + i] * y[s + i];
            var bestLag = 0;
            var best = double.MinValue;
            for (var lag = lagMin; lag <= lagMax; lag += 2)
            {
                double acc = 0;
                for (var i = 0; i < frame; i += 2) acc += y[s + i] * y[s + i + lag];
                if (acc > best) { best = acc; bestLag = lag; }
            }
            frames.Add((e, sr / (double)Math.Max(1, bestLag)));
        }
        if (frames.Count == 0) return 0;
        var threshold = frames.Max(f => f.energy) * 0.1;
        var voiced = frames.Where(f => f.energy >= threshold).Select(f => f.f0).Order().ToList();
        return voiced[voiced.Count / 2];
    }
}
