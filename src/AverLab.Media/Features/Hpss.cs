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
            // One of the two ratios is z / z = 1 exactly, and 1^power is 1: only the other needs Math.Pow.
            var mh = hv == z ? 1.0 : Math.Pow(hv / z, power);
            var mp = pv == z ? 1.0 : Math.Pow(pv / z, power);
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
        // The reflected line once (no index arithmetic per step).
        var ext = new float[n + k - 1];
        for (var j = 0; j < ext.Length; j++)
            ext[j] = j >= half && j - half < n ? x[j - half] : x[Reflect(j - half, n)]; // the modulo only at the borders
        var nan = false;
        foreach (var v in ext) nan |= float.IsNaN(v);
        ext.AsSpan(0, k).CopyTo(win);
        Array.Sort(win);
        output[0] = win[half];
        for (var i = 1; i < n; i++)
        {
            var leaving = ext[i - 1];
            var entering = ext[i + k - 1];
            // The same value leaving and entering leaves the window's values, hence its median, as they were.
            if (leaving.Equals(entering)) { output[i] = win[half]; continue; }
            if (nan) Replace(win, leaving, entering);
            else ReplaceOrdered(win, leaving, entering);
            output[i] = win[half];
        }
    }

    /// <summary>Removes <paramref name="leaving"/> from the sorted window and inserts <paramref name="entering"/> in
    /// order, for windows without NaN (plain comparisons; a hand-written search instead of Array.BinarySearch's
    /// comparer calls).</summary>
    private static void ReplaceOrdered(float[] win, float leaving, float entering)
    {
        int lo = 0, hi = win.Length - 1;
        while (lo < hi) // the first position holding 'leaving'
        {
            var mid = (lo + hi) >> 1;
            if (win[mid] < leaving) lo = mid + 1;
            else hi = mid;
        }
        var at = lo;
        if (entering > leaving)
        {
            // Shift left the values after 'at' that are below 'entering', then put it in the freed slot.
            var to = at;
            while (to + 1 < win.Length && win[to + 1] < entering) { win[to] = win[to + 1]; to++; }
            win[to] = entering;
        }
        else
        {
            var to = at;
            while (to > 0 && win[to - 1] > entering) { win[to] = win[to - 1]; to--; }
            win[to] = entering;
        }
    }

    /// <summary>The general step (NaN sorts first, as Array.Sort orders floats).</summary>
    private static void Replace(float[] win, float leaving, float entering)
    {
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
