namespace AverLab.Media.Features;

/// <summary>Frame-wise time-domain features with librosa 0.10 semantics. Frames: with center, the signal is padded
/// by frame_length / 2 on both sides (RMS: zeros; ZCR: edge values, as librosa does), then frames =
/// 1 + (padded - frame_length) / hop. Outputs have one value per frame.</summary>
public static class TimeDomain
{
    /// <summary>librosa.feature.rms(y, frame_length, hop_length, center, pad_mode='constant'): sqrt(mean(x^2)) per frame.</summary>
    public static float[] Rms(ReadOnlySpan<float> y, int frameLength = 2048, int hopLength = 512, bool center = true)
    {
        var padded = Pad(y, frameLength, center, edge: false);
        var frames = FrameCount(padded.Length, frameLength, hopLength);
        var o = new float[frames];
        // Four frames at a time, each its own sum over its samples in order: four independent chains of additions.
        var t = 0;
        for (; t + 4 <= frames; t += 4)
        {
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            var s0 = padded.AsSpan(t * hopLength, frameLength);
            var s1 = padded.AsSpan((t + 1) * hopLength, frameLength);
            var s2 = padded.AsSpan((t + 2) * hopLength, frameLength);
            var s3 = padded.AsSpan((t + 3) * hopLength, frameLength);
            for (var i = 0; i < frameLength; i++)
            {
                a0 += (double)s0[i] * s0[i];
                a1 += (double)s1[i] * s1[i];
                a2 += (double)s2[i] * s2[i];
                a3 += (double)s3[i] * s3[i];
            }
            o[t] = (float)Math.Sqrt(a0 / frameLength);
            o[t + 1] = (float)Math.Sqrt(a1 / frameLength);
            o[t + 2] = (float)Math.Sqrt(a2 / frameLength);
            o[t + 3] = (float)Math.Sqrt(a3 / frameLength);
        }
        for (; t < frames; t++)
        {
            double acc = 0;
            var s = padded.AsSpan(t * hopLength, frameLength);
            for (var i = 0; i < s.Length; i++) acc += (double)s[i] * s[i];
            o[t] = (float)Math.Sqrt(acc / frameLength);
        }
        return o;
    }

    /// <summary>librosa.feature.zero_crossing_rate(y, frame_length, hop_length, center): the fraction of samples in
    /// each frame whose sign bit differs from the previous sample's, after zeroing |x| &lt;= 1e-10 (zero counts as
    /// positive; the first sample of a frame never counts).</summary>
    public static float[] ZeroCrossingRate(ReadOnlySpan<float> y, int frameLength = 2048, int hopLength = 512, bool center = true)
    {
        var padded = Pad(y, frameLength, center, edge: true);
        var frames = FrameCount(padded.Length, frameLength, hopLength);
        // crossings[j] = sign changes between consecutive samples up to j; a frame counts those inside it (integers, exact).
        var crossings = new int[padded.Length];
        for (var j = 1; j < padded.Length; j++)
            crossings[j] = crossings[j - 1] + (Negative(padded[j - 1]) != Negative(padded[j]) ? 1 : 0);
        var o = new float[frames];
        for (var t = 0; t < frames; t++)
        {
            var start = t * hopLength;
            o[t] = (float)(crossings[start + frameLength - 1] - crossings[start]) / frameLength;
        }
        return o;
    }

    private static bool Negative(float x) => Math.Abs(x) > 1e-10 && float.IsNegative(x);

    internal static int FrameCount(int length, int frameLength, int hopLength)
    {
        if (frameLength < 1 || hopLength < 1) throw new ArgumentOutOfRangeException(nameof(frameLength), "frame and hop lengths must be positive");
        if (length < frameLength) throw new ArgumentException($"signal of {length} samples (after padding) is shorter than frame_length {frameLength}");
        return 1 + (length - frameLength) / hopLength;
    }

    private static float[] Pad(ReadOnlySpan<float> y, int frameLength, bool center, bool edge)
    {
        if (y.Length == 0) throw new ArgumentException("empty signal");
        var pad = center ? frameLength / 2 : 0;
        var p = new float[y.Length + 2 * pad];
        y.CopyTo(p.AsSpan(pad));
        if (edge && pad > 0)
        {
            p.AsSpan(0, pad).Fill(y[0]);
            p.AsSpan(pad + y.Length).Fill(y[^1]);
        }
        return p;
    }
}
