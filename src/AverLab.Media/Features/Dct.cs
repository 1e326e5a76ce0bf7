namespace AverLab.Media.Features;

/// <summary>DCT-II with orthonormal scaling (scipy.fft.dct(type=2, norm='ortho')), as librosa.feature.mfcc applies
/// along the mel axis: y[k] = s_k sum_n x[n] cos(pi k (2n + 1) / (2N)), s_0 = sqrt(1/N), s_k = sqrt(2/N).</summary>
public static class Dct
{
    /// <summary>The first <paramref name="count"/> rows of the N-point DCT-II ortho matrix, row-major [count x n].</summary>
    public static double[] Matrix(int count, int n)
    {
        if (n < 1 || count < 1 || count > n) throw new ArgumentOutOfRangeException(nameof(count), $"need 1 <= count <= n, got count {count}, n {n}");
        var m = new double[count * n];
        for (var k = 0; k < count; k++)
        {
            var s = k == 0 ? Math.Sqrt(1.0 / n) : Math.Sqrt(2.0 / n);
            for (var i = 0; i < n; i++) m[k * n + i] = s * Math.Cos(Math.PI * k * (2 * i + 1) / (2.0 * n));
        }
        return m;
    }

    /// <summary>DCT-II ortho of each column of <paramref name="x"/> [N x frames], keeping the first <paramref name="count"/> rows.</summary>
    public static FeatureMatrix Transform(FeatureMatrix x, int count)
    {
        ArgumentNullException.ThrowIfNull(x);
        var d = Matrix(count, x.Rows);
        var o = new FeatureMatrix(count, x.Cols);
        var acc = new double[x.Cols];
        for (var k = 0; k < count; k++)
        {
            Array.Clear(acc);
            for (var i = 0; i < x.Rows; i++)
            {
                var c = d[k * x.Rows + i];
                var row = x.Row(i);
                for (var t = 0; t < acc.Length; t++) acc[t] += c * row[t];
            }
            for (var t = 0; t < acc.Length; t++) o[k, t] = (float)acc[t];
        }
        return o;
    }
}
