using System.Numerics;
using System.Runtime.Intrinsics;

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
        var clean = !HasNaN(magnitude.Data);
        RunMedianFilters(magnitude, kernel, h, p, clean);
        var harmonic = new FeatureMatrix(rows, cols);
        var percussive = new FeatureMatrix(rows, cols);
        var i = 0;
        if (clean && power == 2.0 && Vector.IsHardwareAccelerated) i = SoftMasksSquared(magnitude.Data, h, p, harmonic.Data, percussive.Data);
        for (; i < h.Length; i++)
        {
            double hv = h[i], pv = p[i];
            var z = Math.Max(hv, pv);
            if (z < Tiny) continue; // librosa.util.softmask: 0 for both when both are 0
            // One of the two ratios is z / z = 1 exactly, and 1^power is 1: only the other needs Math.Pow.
            var mh = hv == z ? 1.0 : Pow(hv / z, power);
            var mp = pv == z ? 1.0 : Pow(pv / z, power);
            harmonic.Data[i] = (float)(magnitude.Data[i] * mh / (mh + mp));
            percussive.Data[i] = (float)(magnitude.Data[i] * mp / (mh + mp));
        }
        return (harmonic, percussive);
    }

    private const double Tiny = 1.1754943508222875e-38;

    /// <summary>The loop of <see cref="Separate"/> for power 2 and no NaN, Vector&lt;double&gt;.Count elements at a
    /// time with the same double operations in the same order (the masked-off lanes' divisions are discarded); returns
    /// how many elements it did, the rest left to the loop.</summary>
    private static int SoftMasksSquared(float[] mag, float[] h, float[] p, float[] harmonic, float[] percussive)
    {
        var width = Vector<float>.Count;
        var i = 0;
        for (; i + width <= h.Length; i += width)
        {
            Vector.Widen(Vector.LoadUnsafe(ref h[0], (nuint)i), out var h0, out var h1);
            Vector.Widen(Vector.LoadUnsafe(ref p[0], (nuint)i), out var p0, out var p1);
            Vector.Widen(Vector.LoadUnsafe(ref mag[0], (nuint)i), out var m0, out var m1);
            var (a0, b0) = Masks(h0, p0, m0);
            var (a1, b1) = Masks(h1, p1, m1);
            Vector.Narrow(a0, a1).StoreUnsafe(ref harmonic[0], (nuint)i);
            Vector.Narrow(b0, b1).StoreUnsafe(ref percussive[0], (nuint)i);
        }
        return i;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static (Vector<double> Harmonic, Vector<double> Percussive) Masks(Vector<double> hv, Vector<double> pv, Vector<double> m)
    {
        var z = Vector.Max(hv, pv);
        var r = Vector.Min(hv, pv) / z; // the one ratio that is not z / z (both are when hv == pv)
        var mh = Vector.ConditionalSelect(Vector.Equals(hv, z), Vector<double>.One, r * r);
        var mp = Vector.ConditionalSelect(Vector.Equals(pv, z), Vector<double>.One, r * r);
        var silent = Vector.LessThan(z, new Vector<double>(Tiny));
        return (Vector.ConditionalSelect(silent, Vector<double>.Zero, m * mh / (mh + mp)),
                Vector.ConditionalSelect(silent, Vector<double>.Zero, m * mp / (mh + mp)));
    }

    /// <summary>x^power; the default power 2 as one product (Math.Pow's call costs more than the rest of the mask).</summary>
    private static double Pow(double x, double power) => power == 2.0 ? x * x : Math.Pow(x, power);

    /// <summary>H (medians over frames) and P (medians over bins) into <paramref name="h"/> and <paramref name="p"/>,
    /// row-major like the input; <paramref name="vectorized"/> false forces the one-line-at-a-time path.</summary>
    internal static void MedianFilters(FeatureMatrix magnitude, int kernel, float[] h, float[] p, bool vectorized = true)
    {
        RunMedianFilters(magnitude, kernel, h, p, vectorized && !HasNaN(magnitude.Data));
    }

    private static void RunMedianFilters(FeatureMatrix magnitude, int kernel, float[] h, float[] p, bool clean)
    {
        if (h.Length == 0) return; // no bins or no frames
        if (clean && Vector.IsHardwareAccelerated) MedianFiltersVectorized(magnitude.Data, magnitude.Rows, magnitude.Cols, kernel, h, p);
        else MedianFiltersScalar(magnitude, kernel, h, p);
    }

    private static void MedianFiltersScalar(FeatureMatrix magnitude, int kernel, float[] h, float[] p)
    {
        int rows = magnitude.Rows, cols = magnitude.Cols;
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
    }

    /// <summary>The two median filters of <see cref="MedianFiltersScalar"/> for a matrix without NaN, 16 lines at a time
    /// (Vector512 where accelerated, else Vector&lt;float&gt;.Count): along frequency the lanes are adjacent frames (contiguous in the row-major matrix), along time
    /// adjacent bins of a transposed copy. Lines the vectors do not fill take the scalar path. Without NaN the sorted
    /// window, hence the median, is the same whatever the algorithm.</summary>
    private static void MedianFiltersVectorized(float[] data, int rows, int cols, int kernel, float[] h, float[] p)
    {
        var wide = Vector512.IsHardwareAccelerated;
        var width = wide ? Vector512<float>.Count : Vector<float>.Count;
        var win = new Vector<float>[kernel];
        var win512 = new Vector512<float>[kernel];
        var scalarWin = new float[kernel];
        var line = new float[Math.Max(rows, cols)];
        var output = new float[Math.Max(rows, cols)];

        // Percussive: medians along each column (over bins), lanes = frames.
        var indexRows = ReflectedIndices(rows, kernel);
        var c0 = 0;
        for (; c0 + width <= cols; c0 += width)
            if (wide) RunningMedianLanes512(data, cols, c0, indexRows, kernel, win512, p);
            else RunningMedianLanes(data, cols, c0, indexRows, kernel, win, p);
        for (var c = c0; c < cols; c++)
        {
            for (var r = 0; r < rows; r++) line[r] = data[r * cols + c];
            RunningMedian(line.AsSpan(0, rows), scalarWin, output);
            for (var r = 0; r < rows; r++) p[r * cols + c] = output[r];
        }

        // Harmonic: medians along each row (over frames), lanes = bins of the transposed matrix [cols x rows].
        var t = System.Buffers.ArrayPool<float>.Shared.Rent(rows * cols);
        var ht = System.Buffers.ArrayPool<float>.Shared.Rent(rows * cols);
        try
        {
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c];
            var indexCols = ReflectedIndices(cols, kernel);
            var r0 = 0;
            for (; r0 + width <= rows; r0 += width)
                if (wide) RunningMedianLanes512(t, rows, r0, indexCols, kernel, win512, ht);
                else RunningMedianLanes(t, rows, r0, indexCols, kernel, win, ht);
            for (var r = 0; r < rows; r++)
            {
                if (r < r0)
                    for (var c = 0; c < cols; c++) h[r * cols + c] = ht[c * rows + r];
                else
                {
                    RunningMedian(data.AsSpan(r * cols, cols), scalarWin, output);
                    output.AsSpan(0, cols).CopyTo(h.AsSpan(r * cols, cols));
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(t);
            System.Buffers.ArrayPool<float>.Shared.Return(ht);
        }
    }

    private static bool HasNaN(float[] x)
    {
        foreach (var v in x) if (float.IsNaN(v)) return true;
        return false;
    }

    /// <summary>Source positions of the reflected line: entry j is the sample at window position j - kernel/2.</summary>
    private static int[] ReflectedIndices(int n, int kernel)
    {
        var half = kernel / 2;
        var idx = new int[n + kernel - 1];
        for (var j = 0; j < idx.Length; j++) idx[j] = j >= half && j - half < n ? j - half : Reflect(j - half, n);
        return idx;
    }

    /// <summary>Running medians of Vector&lt;float&gt;.Count lines at once: position s of lane l is
    /// src[s * stride + lane0 + l], its median goes to dst at the same place. Each lane keeps its window sorted; a step
    /// drops the leaving value (every slot from its first occurrence on takes its right neighbour's value) and bubbles the
    /// entering one into place with min/max, branch-free.</summary>
    private static void RunningMedianLanes(float[] src, int stride, int lane0, int[] index, int kernel, Vector<float>[] win, float[] dst)
    {
        int n = index.Length - kernel + 1, half = kernel / 2;
        ref var s0 = ref src[0];
        for (var m = 0; m < kernel; m++)
        {
            var carry = Vector.LoadUnsafe(ref s0, (nuint)(index[m] * stride + lane0));
            for (var i = 0; i < m; i++)
            {
                var w = win[i];
                win[i] = Vector.Min(w, carry);
                carry = Vector.Max(w, carry);
            }
            win[m] = carry;
        }
        win[half].StoreUnsafe(ref dst[0], (nuint)lane0);
        for (var s = 1; s < n; s++)
        {
            var leaving = Vector.LoadUnsafe(ref s0, (nuint)(index[s - 1] * stride + lane0));
            var carry = Vector.LoadUnsafe(ref s0, (nuint)(index[s + kernel - 1] * stride + lane0));
            var w = win[0];
            for (var i = 0; i < kernel - 1; i++)
            {
                var next = win[i + 1];
                var u = Vector.ConditionalSelect(Vector.LessThan(w, leaving), w, next);
                win[i] = Vector.Min(u, carry);
                carry = Vector.Max(u, carry);
                w = next;
            }
            win[kernel - 1] = carry;
            win[half].StoreUnsafe(ref dst[0], (nuint)(s * stride + lane0));
        }
    }

    /// <summary><see cref="RunningMedianLanes"/> with 512-bit vectors: 16 lines at once.</summary>
    private static void RunningMedianLanes512(float[] src, int stride, int lane0, int[] index, int kernel, Vector512<float>[] win, float[] dst)
    {
        int n = index.Length - kernel + 1, half = kernel / 2;
        ref var s0 = ref src[0];
        for (var m = 0; m < kernel; m++)
        {
            var carry = Vector512.LoadUnsafe(ref s0, (nuint)(index[m] * stride + lane0));
            for (var i = 0; i < m; i++)
            {
                var w = win[i];
                win[i] = Vector512.Min(w, carry);
                carry = Vector512.Max(w, carry);
            }
            win[m] = carry;
        }
        win[half].StoreUnsafe(ref dst[0], (nuint)lane0);
        for (var s = 1; s < n; s++)
        {
            var leaving = Vector512.LoadUnsafe(ref s0, (nuint)(index[s - 1] * stride + lane0));
            var carry = Vector512.LoadUnsafe(ref s0, (nuint)(index[s + kernel - 1] * stride + lane0));
            var w = win[0];
            for (var i = 0; i < kernel - 1; i++)
            {
                var next = win[i + 1];
                var u = Vector512.ConditionalSelect(Vector512.LessThan(w, leaving), w, next);
                win[i] = Vector512.Min(u, carry);
                carry = Vector512.Max(u, carry);
                w = next;
            }
            win[kernel - 1] = carry;
            win[half].StoreUnsafe(ref dst[0], (nuint)(s * stride + lane0));
        }
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
