using AverLab.Media.Features;

namespace AverLab.Media.Audio;

/// <summary>librosa.effects.trim: frames whose RMS (center=True, zero padding) is within <c>top_db</c> dB of the
/// loudest frame (ref=np.max) are non-silent; the clip keeps samples from the first such frame's start
/// (frame * hop) to the end of the last (min(n, (last + 1) * hop)). An all-silent clip becomes empty.</summary>
public static class SilenceTrimmer
{
    /// <summary>The [start, end) sample range librosa.effects.trim keeps.</summary>
    public static (int Start, int End) NonSilentRange(ReadOnlySpan<float> y, double topDb = 60, int frameLength = 2048, int hopLength = 512)
    {
        if (y.Length == 0) return (0, 0);
        var rms = TimeDomain.Rms(y, frameLength, hopLength, center: true);
        double max = 0;
        foreach (var r in rms) max = Math.Max(max, (double)r * r);
        var refDb = 10 * Math.Log10(Math.Max(1e-10, max));
        int first = -1, last = -1;
        for (var t = 0; t < rms.Length; t++)
        {
            var db = 10 * Math.Log10(Math.Max(1e-10, (double)rms[t] * rms[t])) - refDb;
            if (db > -topDb)
            {
                if (first < 0) first = t;
                last = t;
            }
        }
        if (first < 0) return (0, 0);
        return (first * hopLength, Math.Min(y.Length, (last + 1) * hopLength));
    }

    public static float[] Trim(ReadOnlySpan<float> y, double topDb = 60, int frameLength = 2048, int hopLength = 512)
    {
        var (s, e) = NonSilentRange(y, topDb, frameLength, hopLength);
        return y[s..e].ToArray();
    }
}
