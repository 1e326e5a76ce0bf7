namespace AverLab.Models;

/// <summary>Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (for PCA of feature
/// covariances, a few hundred wide; the engine has no linalg.eigh).</summary>
internal static class SymmetricEigen
{
    /// <summary>Row-major n x n symmetric <paramref name="a"/> → eigenvalues and eigenvectors (column j of the row-major
    /// result is the vector of value j).</summary>
    public static (double[] values, double[] vectors) Decompose(double[] a, int n)
    {
        var m = (double[])a.Clone();
        var v = new double[n * n];
        for (var i = 0; i < n; i++) v[i * n + i] = 1;
        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, total = 0;
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++)
                {
                    var x = m[i * n + j] * m[i * n + j];
                    total += x;
                    if (i != j) off += x;
                }
            if (off <= 1e-22 * Math.Max(total, 1e-300)) break;
            for (var p = 0; p < n - 1; p++)
                for (var q = p + 1; q < n; q++)
                {
                    var apq = m[p * n + q];
                    if (Math.Abs(apq) < 1e-300) continue;
                    var theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var mkp = m[k * n + p];
                        var mkq = m[k * n + q];
                        m[k * n + p] = c * mkp - s * mkq;
                        m[k * n + q] = s * mkp + c * mkq;
                    }
                    for (var k = 0; k < n; k++)
                    {
                        var mpk = m[p * n + k];
                        var mqk = m[q * n + k];
                        m[p * n + k] = c * mpk - s * mqk;
                        m[q * n + k] = s * mpk + c * mqk;
                    }
                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[k * n + p];
                        var vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
        }
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = m[i * n + i];
        return (values, v);
    }
}
