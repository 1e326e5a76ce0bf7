using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AverLab.Media.Features;

/// <summary>FFT of a real signal of length N, returning the N/2 + 1 non-negative-frequency bins (numpy.fft.rfft).
/// Even N packs the signal into a complex FFT of length N/2 (even samples real, odd imaginary) and untangles the
/// halves, halving the work. An instance owns scratch buffers: use one per thread.</summary>
public sealed class RealFft
{
    private readonly Fft _fft;
    private readonly bool _packed;
    private readonly double[] _re, _im, _wRe, _wIm;

    public RealFft(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be positive");
        Length = length;
        _packed = length % 2 == 0 && length >= 4;
        var inner = _packed ? length / 2 : length;
        _fft = new Fft(inner);
        _re = new double[inner];
        _im = new double[inner];
        var bins = length / 2 + 1;
        _wRe = new double[bins];
        _wIm = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            _wRe[k] = Math.Cos(-2 * Math.PI * k / length);
            _wIm[k] = Math.Sin(-2 * Math.PI * k / length);
        }
    }

    public int Length { get; }
    public int Bins => Length / 2 + 1;

    /// <summary>Transforms <paramref name="x"/> (Length samples) into <paramref name="outRe"/>/<paramref name="outIm"/> (Bins values).</summary>
    public void Forward(ReadOnlySpan<double> x, Span<double> outRe, Span<double> outIm)
    {
        var n = Length;
        if (x.Length < n) throw new ArgumentException($"input must hold {n} samples", nameof(x));
        if (outRe.Length < Bins || outIm.Length < Bins) throw new ArgumentException($"outputs must hold {Bins} bins");
        if (!_packed)
        {
            x[..n].CopyTo(_re);
            Array.Clear(_im);
            _fft.Forward(_re, _im);
            _re.AsSpan(0, Bins).CopyTo(outRe);
            _im.AsSpan(0, Bins).CopyTo(outIm);
            return;
        }
        var m = n / 2;
        for (var i = 0; i < m; i++)
        {
            _re[i] = x[2 * i];
            _im[i] = x[2 * i + 1];
        }
        Untangle(outRe, outIm);
    }

    /// <summary>The packed path after the caller wrote even samples to <see cref="PackRe"/> and odd samples to
    /// <see cref="PackIm"/> (Length/2 each), so windowing and packing take one pass.</summary>
    internal void ForwardPacked(Span<double> outRe, Span<double> outIm) => Untangle(outRe, outIm);

    /// <summary>Scratch the caller fills for <see cref="ForwardPacked"/>: even samples go to Re, odd samples to Im.</summary>
    internal Span<double> PackRe => _re;
    internal Span<double> PackIm => _im;
    internal bool IsPacked => _packed;

    /// <summary>The packed path returning only the power spectrum |X_k|^2 (Bins values): the STFT hot path. The
    /// untangling runs eight bins per instruction on 512-bit vectors, reading Z[m - k] with a lane reversal.</summary>
    internal void ForwardPackedPower(Span<double> power)
    {
        var m = Length / 2;
        if (power.Length < m + 1) throw new ArgumentException($"power must hold {m + 1} bins", nameof(power));
        _fft.Forward(_re, _im);
        ref var zr = ref MemoryMarshal.GetArrayDataReference(_re);
        ref var zi = ref MemoryMarshal.GetArrayDataReference(_im);
        ref var wr = ref MemoryMarshal.GetArrayDataReference(_wRe);
        ref var wi = ref MemoryMarshal.GetArrayDataReference(_wIm);
        ref var p = ref MemoryMarshal.GetReference(power);
        double z0r = zr, z0i = zi;
        p = (z0r + z0i) * (z0r + z0i);
        Unsafe.Add(ref p, m) = (z0r - z0i) * (z0r - z0i);
        var k = 1;
        if (Vector512.IsHardwareAccelerated)
        {
            var half = Vector512.Create(0.5);
            var rev = Vector512.Create(7L, 6, 5, 4, 3, 2, 1, 0);
            for (; k + 8 <= m; k += 8)
            {
                var a = Vector512.LoadUnsafe(ref zr, (nuint)k);
                var b = Vector512.LoadUnsafe(ref zi, (nuint)k);
                var c = Vector512.Shuffle(Vector512.LoadUnsafe(ref zr, (nuint)(m - k - 7)), rev);
                var d = Vector512.Shuffle(Vector512.LoadUnsafe(ref zi, (nuint)(m - k - 7)), rev);
                var er = half * (a + c);
                var ei = half * (b - d);
                var or = half * (b + d);
                var oi = half * (c - a);
                var cr = Vector512.LoadUnsafe(ref wr, (nuint)k);
                var ci = Vector512.LoadUnsafe(ref wi, (nuint)k);
                var xr = er + cr * or - ci * oi;
                var xi = ei + cr * oi + ci * or;
                (xr * xr + xi * xi).StoreUnsafe(ref p, (nuint)k);
            }
        }
        for (; k < m; k++)
        {
            double a = Unsafe.Add(ref zr, k), b = Unsafe.Add(ref zi, k);
            double c = Unsafe.Add(ref zr, m - k), d = Unsafe.Add(ref zi, m - k);
            double er = 0.5 * (a + c), ei = 0.5 * (b - d);
            double or = 0.5 * (b + d), oi = -0.5 * (a - c);
            double cr = Unsafe.Add(ref wr, k), ci = Unsafe.Add(ref wi, k);
            var xr = er + cr * or - ci * oi;
            var xi = ei + cr * oi + ci * or;
            Unsafe.Add(ref p, k) = xr * xr + xi * xi;
        }
    }

    private void Untangle(Span<double> outRe, Span<double> outIm)
    {
        var m = Length / 2;
        _fft.Forward(_re, _im);
        ref var zr = ref MemoryMarshal.GetArrayDataReference(_re);
        ref var zi = ref MemoryMarshal.GetArrayDataReference(_im);
        ref var wr = ref MemoryMarshal.GetArrayDataReference(_wRe);
        ref var wi = ref MemoryMarshal.GetArrayDataReference(_wIm);
        ref var xr = ref MemoryMarshal.GetReference(outRe);
        ref var xi = ref MemoryMarshal.GetReference(outIm);
        // k = 0 and k = m use Z[0] only.
        double z0r = zr, z0i = zi;
        xr = z0r + z0i; xi = 0;
        Unsafe.Add(ref xr, m) = z0r - z0i; Unsafe.Add(ref xi, m) = 0;
        for (var k = 1; k < m; k++)
        {
            double a = Unsafe.Add(ref zr, k), b = Unsafe.Add(ref zi, k);
            double c = Unsafe.Add(ref zr, m - k), d = Unsafe.Add(ref zi, m - k);
            double er = 0.5 * (a + c), ei = 0.5 * (b - d);
            double or = 0.5 * (b + d), oi = -0.5 * (a - c);
            double cr = Unsafe.Add(ref wr, k), ci = Unsafe.Add(ref wi, k);
            Unsafe.Add(ref xr, k) = er + cr * or - ci * oi;
            Unsafe.Add(ref xi, k) = ei + cr * oi + ci * or;
        }
    }
}
