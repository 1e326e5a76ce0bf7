namespace AverLab.Media.Features;

/// <summary>librosa.feature.delta: a Savitzky-Golay derivative along time, scipy.signal.savgol_filter(data, width,
/// deriv=order, polyorder=order, mode='interp'). Interior frames use the symmetric least-squares derivative filter;
/// the first and last width/2 frames take the derivative of a polynomial of degree <c>order</c> fitted to the first
/// or last <c>width</c> frames. Shape in = shape out: [n_features x frames], frames &gt;= width.</summary>
public static class Deltas
{
    public static FeatureMatrix Compute(FeatureMatrix data, int width = 9, int order = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (width < 3 || width % 2 == 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be an odd integer >= 3");
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be a positive integer");
        if (order >= width) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be less than width");
        if (data.Cols < width) throw new ArgumentException($"delta width {width} exceeds the {data.Cols} frames; use a smaller width", nameof(data));
        int n = data.Cols, half = width / 2;
        // Filter taps: row p gives the derivative at window position p (0..width-1) from the window's samples.
        var taps = new double[width][];
        for (var p = 0; p < width; p++) taps[p] = DerivativeTaps(width, order, order, p);
        var o = new FeatureMatrix(data.Rows, n);
        for (var r = 0; r < data.Rows; r++)
        {
            var x = data.Row(r);
            var y = o.Row(r);
            for (var t = 0; t < n; t++)
            {
                int start, p;
                if (t < half) { start = 0; p = t; }
                else if (t >= n - half) { start = n - width; p = t - start; }
                else { start = t - half; p = half; }
                var tp = taps[p];
                double acc = 0;
                for (var j = 0; j < width; j++) acc += tp[j] * x[start + j];
                y[t] = (float)acc;
            }
        }
        return o;
    }

    /// <summary>Weights w such that sum_j w[j] y[j] is the <paramref name="deriv"/>-th derivative, at position
    /// <paramref name="at"/>, of the degree-<paramref name="degree"/> least-squares polynomial through y[0..width).</summary>
    internal static double[] DerivativeTaps(int width, int degree, int deriv, int at)
    {
        var c = (width - 1) / 2.0; // centre the abscissa for conditioning
        var cols = degree + 1;
        // Normal equations (A^T A) a = A^T y with A[j, i] = (j - c)^i; the taps are row e^T (A^T A)^-1 A^T, where
        // e holds the derivative of each monomial at (at - c).
        var ata = new double[cols, cols];
        for (var j = 0; j < width; j++)
            for (var a = 0; a < cols; a++)
                for (var b = 0; b < cols; b++)
                    ata[a, b] += Math.Pow(j - c, a + b);
        var e = new double[cols];
        var u = at - c;
        for (var i = deriv; i < cols; i++)
        {
            double f = 1;
            for (var k = 0; k < deriv; k++) f *= i - k;
            e[i] = f * Math.Pow(u, i - deriv);
        }
        var z = Solve(ata, e); // (A^T A) symmetric: e^T M^-1 = (M^-1 e)^T
        var w = new double[width];
        for (var j = 0; j < width; j++)
        {
            double acc = 0;
            for (var i = 0; i < cols; i++) acc += z[i] * Math.Pow(j - c, i);
            w[j] = acc;
        }
        return w;
    }

    private static double[] Solve(double[,] m, double[] rhs)
    {
        var n = rhs.Length;
        var a = (double[,])m.Clone();
        var b = (double[])rhs.Clone();
        for (var col = 0; col < n; col++)
        {
            var piv = col;
            for (var r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[piv, col])) piv = r;
            if (piv != col)
            {
                for (var k = 0; k < n; k++) (a[col, k], a[piv, k]) = (a[piv, k], a[col, k]);
                (b[col], b[piv]) = (b[piv], b[col]);
            }
            for (var r = col + 1; r < n; r++)
            {
                var f = a[r, col] / a[col, col];
                for (var k = col; k < n; k++) a[r, k] -= f * a[col, k];
                b[r] -= f * b[col];
            }
        }
        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var s = b[r];
            for (var k = r + 1; k < n; k++) s -= a[r, k] * x[k];
            x[r] = s / a[r, r];
        }
        return x;
    }
}
