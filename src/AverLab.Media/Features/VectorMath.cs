using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AverLab.Media.Features;

/// <summary>Small SIMD kernels for the feature hot paths (dot products and logarithms over spans of doubles).</summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(a.Length, b.Length);
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        var i = 0;
        double acc = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vw = Vector<double>.Count;
            var v0 = Vector<double>.Zero;
            var v1 = Vector<double>.Zero;
            for (; i + 2 * vw <= n; i += 2 * vw)
            {
                v0 += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
                v1 += Vector.LoadUnsafe(ref ra, (nuint)(i + vw)) * Vector.LoadUnsafe(ref rb, (nuint)(i + vw));
            }
            for (; i + vw <= n; i += vw) v0 += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
            acc = Vector.Sum(v0 + v1);
        }
        for (; i < n; i++) acc += Unsafe.Add(ref ra, i) * Unsafe.Add(ref rb, i);
        return acc;
    }

    /// <summary>y += a * x (SIMD, 512-bit where available).</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        var n = Math.Min(x.Length, y.Length);
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i + 8 <= n; i += 8)
                (Vector512.LoadUnsafe(ref ry, (nuint)i) + va * Vector512.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        else if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(a);
            var vw = Vector<double>.Count;
            for (; i + vw <= n; i += vw)
                (Vector.LoadUnsafe(ref ry, (nuint)i) + va * Vector.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ry, i) += a * Unsafe.Add(ref rx, i);
    }

    /// <summary>x = 10 log10(max(amin, x)) in place; returns the maximum result.</summary>
    public static double PowerToDbInPlace(Span<double> x, double amin)
    {
        const double TenOverLn10 = 4.3429448190325182765; // 10 / ln(10)
        ref var r = ref MemoryMarshal.GetReference(x);
        var i = 0;
        var max = double.NegativeInfinity;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var vw = Vector<double>.Count;
            var vmin = new Vector<double>(amin);
            var scale = new Vector<double>(TenOverLn10);
            var vmax = new Vector<double>(double.NegativeInfinity);
            for (; i + vw <= x.Length; i += vw)
            {
                var v = Vector.Log(Vector.Max(vmin, Vector.LoadUnsafe(ref r, (nuint)i))) * scale;
                v.StoreUnsafe(ref r, (nuint)i);
                vmax = Vector.Max(vmax, v);
            }
            for (var k = 0; k < vw; k++) max = Math.Max(max, vmax[k]);
        }
        for (; i < x.Length; i++)
        {
            var v = 10.0 * Math.Log10(Math.Max(amin, Unsafe.Add(ref r, i)));
            Unsafe.Add(ref r, i) = v;
            max = Math.Max(max, v);
        }
        return max;
    }
}
