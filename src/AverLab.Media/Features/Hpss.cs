namespace AverLab.Media.Features;

/// <summary>librosa.decompose.hpss on a magnitude spectrogram (kernel 31, power 2, margin 1, soft masks):
/// H = median over 31 frames (time), P = median over 31 bins (frequency), both with scipy.ndimage 'reflect'
/// borders; harmonic = S * H^2 / (H^2 + P^2), percussive = S * P^2 / (H^2 + P^2) (0 where both are 0).
/// Shapes: in and out [bins x frames].</summary>
public static class Hpss
{
    public static (FeatureMatrix Harmonic, FeatureMatrix Percussive) Separate(FeatureMatrix magnitude, int kernel = 31, double power = 2.0)
    {
        ArgumentNullException.ThrowIfNull(magnitude);
        if (kernel < 1) throw new ArgumentOutOfRangeException(nameof(kernel));
        int rows = magnitude.Rows, cols = magnitude.Cols;
        var h = new float[rows * cols];
        var p = new float[rows * cols];
        var line = new float[Math.Max(rows, cols)];
        var win = new float[kernel];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++) line[c] = magnitude[r, c];
            MedianLine(line.AsSpan(0, cols), win, (i, v) => h[r * cols + i] = v);
        }
        for (var c = 0; c < cols; c++)
        {
            for (var r = 0; r < rows; r++) line[r] = magnitude[r, c];
            MedianLine(line.AsSpan(0, rows), win, (i, v) => p[i * cols + c] = v);
        }
        var harmonic = new FeatureMatrix(rows, cols);
        var percussive = new FeatureMatrix(rows, cols);
        for (var i = 0; i < h.Length; i++)
        {
            double hv = h[i], pv = p[i];
            var z = Math.Max(hv, pv);
            if (z < 1.1754943508222875e-38) continue; // librosa.util.softmask: 0 for both when both are 0
            var mh = Math.Pow(hv / z, power);
            var mp = Math.Pow(pv / z, power);
            harmonic.Data[i] = (float)(magnitude.Data[i] * mh / (mh + mp));
            percussive.Data[i] = (float)(magnitude.Data[i] * mp / (mh + mp));
        }
        return (harmonic, percussive);
    }

    private static void MedianLine(Span<float> x, float[] win, Action<int, float> set)
    {
        int n = x.Length, k = win.Length, half = k / 2;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < k; j++) win[j] = x[Reflect(i - half + j, n)];
            Array.Sort(win);
            set(i, win[half]);
        }
    }

    /// <summary>scipy.ndimage 'reflect' (half-sample symmetric: d c b a | a b c d | d c b a).</summary>
    private static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        var period = 2 * n;
        i = ((i % period) + period) % period;
        return i < n ? i : period - 1 - i;
    }
}
