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
        var output = new float[Math.Max(rows, cols)];
        var win = new float[kernel];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++) line[c] = magnitude[r, c];
            RunningMedian(line.AsSpan(0, cols), win, output);
            output.AsSpan(0, cols).CopyTo(h.AsSpan(r * cols, cols));
        }
        for (var c = 0; c < cols; c++)
        {
            for (var r = 0; r < rows; r++) line[r] = magnitude[r, c];
            RunningMedian(line.AsSpan(0, rows), win, output);
            for (var r = 0; r < rows; r++) p[r * cols + c] = output[r];
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

    /// <summary>Running median of a window of win.Length values centred on each position ('reflect' borders): the
    /// window is kept sorted, and each step removes the value leaving it and inserts the one entering it, so a step
    /// costs one shift of the window instead of a sort. Equal to sorting each window (same order, NaN first).</summary>
    public static void RunningMedian(ReadOnlySpan<float> x, float[] win, Span<float> output)
    {
        int n = x.Length, k = win.Length, half = k / 2;
        if (n == 0) return;
        for (var j = 0; j < k; j++) win[j] = x[Reflect(j - half, n)];
        Array.Sort(win);
        output[0] = win[half];
        for (var i = 1; i < n; i++)
        {
            var leaving = x[Reflect(i - 1 - half, n)];
            var entering = x[Reflect(i + half, n)];
            var at = Array.BinarySearch(win, leaving);
            // Insert 'entering' at its place after taking 'leaving' out: shift the values between the two positions.
            var to = Array.BinarySearch(win, entering);
            if (to < 0) to = ~to;
            if (to > at)
            {
                to--; // the slot freed at 'at' moves the insertion point one to the left
                Array.Copy(win, at + 1, win, at, to - at);
            }
            else if (to < at) Array.Copy(win, to, win, to + 1, at - to);
            win[to] = entering;
            output[i] = win[half];
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
