using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AverLab.Media.Features;

/// <summary>In-place complex FFT of a fixed length on split real/imaginary arrays (double precision). Powers of two
/// use an iterative radix-2 transform with precomputed twiddles and bit-reversal table, vectorised with
/// <see cref="Vector{T}"/> (or 512-bit vectors where the CPU has them) across butterflies; other lengths use Bluestein's chirp-z algorithm on top of it.
/// An instance owns scratch buffers: use one per thread.</summary>
public sealed class Fft
{
    private readonly int[]? _swaps;               // bit-reversal permutation as (i, j) pairs with i < j
    private readonly double[]? _twRe, _twIm;      // stage with half-size h uses entries [h, 2h)
    private readonly Fft? _inner;                 // Bluestein: power-of-two FFT of length >= 2n - 1
    private readonly double[]? _chirpRe, _chirpIm, _kernelRe, _kernelIm, _bufRe, _bufIm;

    public Fft(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be positive");
        Length = length;
        if (BitOperations.IsPow2(length))
        {
            var bits = BitOperations.Log2((uint)length);
            var swaps = new List<int>();
            for (var i = 0; i < length; i++)
            {
                var j = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
                if (j > i) { swaps.Add(i); swaps.Add(j); }
            }
            _swaps = swaps.ToArray();
            _twRe = new double[Math.Max(length, 2)];
            _twIm = new double[Math.Max(length, 2)];
            for (var h = 1; h < length; h <<= 1)
                for (var j = 0; j < h; j++)
                {
                    var angle = -Math.PI * j / h;
                    _twRe[h + j] = Math.Cos(angle);
                    _twIm[h + j] = Math.Sin(angle);
                }
            return;
        }
        var m = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * length - 1));
        _inner = new Fft(m);
        _chirpRe = new double[length];
        _chirpIm = new double[length];
        for (var k = 0; k < length; k++)
        {
            // k^2 mod 2n keeps the angle exact for long transforms.
            var angle = Math.PI * (double)((long)k * k % (2L * length)) / length;
            _chirpRe[k] = Math.Cos(angle);
            _chirpIm[k] = -Math.Sin(angle);
        }
        _kernelRe = new double[m];
        _kernelIm = new double[m];
        _kernelRe[0] = _chirpRe[0];
        _kernelIm[0] = -_chirpIm[0];
        for (var k = 1; k < length; k++)
        {
            _kernelRe[k] = _kernelRe[m - k] = _chirpRe[k];
            _kernelIm[k] = _kernelIm[m - k] = -_chirpIm[k];
        }
        _inner.Forward(_kernelRe, _kernelIm);
        _bufRe = new double[m];
        _bufIm = new double[m];
    }

    public int Length { get; }

    /// <summary>X[k] = sum_n x[n] exp(-2 pi i k n / N), in place.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        if (re.Length < Length || im.Length < Length) throw new ArgumentException($"buffers must hold {Length} values");
        if (_inner == null) Radix2(re[..Length], im[..Length]);
        else Bluestein(re[..Length], im[..Length]);
    }

    /// <summary>Unnormalised inverse: x[n] = sum_k X[k] exp(+2 pi i k n / N) (divide by N yourself).</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        // conj(FFT(conj(x))) = IFFT without the 1/N.
        for (var i = 0; i < Length; i++) im[i] = -im[i];
        Forward(re, im);
        for (var i = 0; i < Length; i++) im[i] = -im[i];
    }

    private void Radix2(Span<double> re, Span<double> im)
    {
        var n = Length;
        ref var r0 = ref MemoryMarshal.GetReference(re);
        ref var i0 = ref MemoryMarshal.GetReference(im);
        // Bit-reversal permutation from a precomputed list of (i, j) swaps: no data-dependent branches.
        var swaps = _swaps!;
        for (var p = 0; p < swaps.Length; p += 2)
        {
            int i = swaps[p], j = swaps[p + 1];
            (Unsafe.Add(ref r0, i), Unsafe.Add(ref r0, j)) = (Unsafe.Add(ref r0, j), Unsafe.Add(ref r0, i));
            (Unsafe.Add(ref i0, i), Unsafe.Add(ref i0, j)) = (Unsafe.Add(ref i0, j), Unsafe.Add(ref i0, i));
        }
        var h = 1;
        if (n >= 4)
        {
            // Stages h = 1 and 2 fused as radix-4 butterflies: twiddles 1 and -i need no multiplications.
            for (var s = 0; s < n; s += 4)
            {
                double ar = Unsafe.Add(ref r0, s), ai = Unsafe.Add(ref i0, s);
                double br = Unsafe.Add(ref r0, s + 1), bi = Unsafe.Add(ref i0, s + 1);
                double cr = Unsafe.Add(ref r0, s + 2), ci = Unsafe.Add(ref i0, s + 2);
                double dr = Unsafe.Add(ref r0, s + 3), di = Unsafe.Add(ref i0, s + 3);
                double t0r = ar + br, t0i = ai + bi, t1r = ar - br, t1i = ai - bi;
                double t2r = cr + dr, t2i = ci + di, t3r = cr - dr, t3i = ci - di;
                // (t3) * (-i) = (t3i, -t3r)
                Unsafe.Add(ref r0, s) = t0r + t2r; Unsafe.Add(ref i0, s) = t0i + t2i;
                Unsafe.Add(ref r0, s + 2) = t0r - t2r; Unsafe.Add(ref i0, s + 2) = t0i - t2i;
                Unsafe.Add(ref r0, s + 1) = t1r + t3i; Unsafe.Add(ref i0, s + 1) = t1i - t3r;
                Unsafe.Add(ref r0, s + 3) = t1r - t3i; Unsafe.Add(ref i0, s + 3) = t1i + t3r;
            }
            h = 4;
        }
        var vw = Vector<double>.Count;
        ref var tr0 = ref MemoryMarshal.GetArrayDataReference(_twRe!);
        ref var ti0 = ref MemoryMarshal.GetArrayDataReference(_twIm!);
        while (h < n)
        {
            if (h >= 8 && 4 * h <= n && Vector512.IsHardwareAccelerated)
            {
                Radix4Pass512(ref r0, ref i0, ref tr0, ref ti0, n, h);
                h <<= 2;
                continue;
            }
            if (h >= 8 && Vector512.IsHardwareAccelerated)
            {
                // AVX-512: eight butterflies per instruction.
                for (var s = 0; s < n; s += 2 * h)
                {
                    for (var j = 0; j < h; j += 8)
                    {
                        nuint a = (nuint)(s + j), b = a + (nuint)h, w = (nuint)(h + j);
                        var wr = Vector512.LoadUnsafe(ref tr0, w);
                        var wi = Vector512.LoadUnsafe(ref ti0, w);
                        var brv = Vector512.LoadUnsafe(ref r0, b);
                        var biv = Vector512.LoadUnsafe(ref i0, b);
                        var tr = brv * wr - biv * wi;
                        var ti = brv * wi + biv * wr;
                        var xr = Vector512.LoadUnsafe(ref r0, a);
                        var xi = Vector512.LoadUnsafe(ref i0, a);
                        (xr + tr).StoreUnsafe(ref r0, a);
                        (xi + ti).StoreUnsafe(ref i0, a);
                        (xr - tr).StoreUnsafe(ref r0, b);
                        (xi - ti).StoreUnsafe(ref i0, b);
                    }
                }
            }
            else if (h >= vw && Vector.IsHardwareAccelerated)
            {
                for (var s = 0; s < n; s += 2 * h)
                {
                    for (var j = 0; j < h; j += vw)
                    {
                        nuint a = (nuint)(s + j), b = a + (nuint)h, w = (nuint)(h + j);
                        var wr = Vector.LoadUnsafe(ref tr0, w);
                        var wi = Vector.LoadUnsafe(ref ti0, w);
                        var brv = Vector.LoadUnsafe(ref r0, b);
                        var biv = Vector.LoadUnsafe(ref i0, b);
                        var tr = brv * wr - biv * wi;
                        var ti = brv * wi + biv * wr;
                        var xr = Vector.LoadUnsafe(ref r0, a);
                        var xi = Vector.LoadUnsafe(ref i0, a);
                        (xr + tr).StoreUnsafe(ref r0, a);
                        (xi + ti).StoreUnsafe(ref i0, a);
                        (xr - tr).StoreUnsafe(ref r0, b);
                        (xi - ti).StoreUnsafe(ref i0, b);
                    }
                }
            }
            else
            {
                for (var s = 0; s < n; s += 2 * h)
                    for (var j = 0; j < h; j++)
                    {
                        int a = s + j, b = a + h;
                        double wr = Unsafe.Add(ref tr0, h + j), wi = Unsafe.Add(ref ti0, h + j);
                        double br = Unsafe.Add(ref r0, b), bi = Unsafe.Add(ref i0, b);
                        var tr = br * wr - bi * wi;
                        var ti = br * wi + bi * wr;
                        double xr = Unsafe.Add(ref r0, a), xi = Unsafe.Add(ref i0, a);
                        Unsafe.Add(ref r0, a) = xr + tr; Unsafe.Add(ref i0, a) = xi + ti;
                        Unsafe.Add(ref r0, b) = xr - tr; Unsafe.Add(ref i0, b) = xi - ti;
                    }
            }
            h <<= 1;
        }
    }

    /// <summary>Radix-2 stages h and 2h fused (a radix-4 pass over blocks of 4h): the same four complex products
    /// per four points, but half the loads and stores. W_4h^(j+h) = W_4h^j * (-i) costs nothing.</summary>
    private static void Radix4Pass512(ref double r0, ref double i0, ref double tr0, ref double ti0, int n, int h)
    {
        var uh = (nuint)h;
        for (var s = 0; s < n; s += 4 * h)
        {
            for (var j = 0; j < h; j += 8)
            {
                nuint p0 = (nuint)(s + j), p1 = p0 + uh, p2 = p1 + uh, p3 = p2 + uh;
                var w1r = Vector512.LoadUnsafe(ref tr0, uh + (nuint)j);
                var w1i = Vector512.LoadUnsafe(ref ti0, uh + (nuint)j);
                var w2r = Vector512.LoadUnsafe(ref tr0, 2 * uh + (nuint)j);
                var w2i = Vector512.LoadUnsafe(ref ti0, 2 * uh + (nuint)j);
                var x0r = Vector512.LoadUnsafe(ref r0, p0);
                var x0i = Vector512.LoadUnsafe(ref i0, p0);
                var x1r = Vector512.LoadUnsafe(ref r0, p1);
                var x1i = Vector512.LoadUnsafe(ref i0, p1);
                var x2r = Vector512.LoadUnsafe(ref r0, p2);
                var x2i = Vector512.LoadUnsafe(ref i0, p2);
                var x3r = Vector512.LoadUnsafe(ref r0, p3);
                var x3i = Vector512.LoadUnsafe(ref i0, p3);
                // stage h
                var t1r = x1r * w1r - x1i * w1i;
                var t1i = x1r * w1i + x1i * w1r;
                var t3r = x3r * w1r - x3i * w1i;
                var t3i = x3r * w1i + x3i * w1r;
                var a0r = x0r + t1r; var a0i = x0i + t1i;
                var a1r = x0r - t1r; var a1i = x0i - t1i;
                var a2r = x2r + t3r; var a2i = x2i + t3i;
                var a3r = x2r - t3r; var a3i = x2i - t3i;
                // stage 2h
                var u2r = a2r * w2r - a2i * w2i;
                var u2i = a2r * w2i + a2i * w2r;
                var u3r = a3r * w2r - a3i * w2i;
                var u3i = a3r * w2i + a3i * w2r;
                (a0r + u2r).StoreUnsafe(ref r0, p0); (a0i + u2i).StoreUnsafe(ref i0, p0);
                (a0r - u2r).StoreUnsafe(ref r0, p2); (a0i - u2i).StoreUnsafe(ref i0, p2);
                (a1r + u3i).StoreUnsafe(ref r0, p1); (a1i - u3r).StoreUnsafe(ref i0, p1);
                (a1r - u3i).StoreUnsafe(ref r0, p3); (a1i + u3r).StoreUnsafe(ref i0, p3);
            }
        }
    }

    private void Bluestein(Span<double> re, Span<double> im)
    {
        int n = Length, m = _inner!.Length;
        var br = _bufRe.AsSpan();
        var bi = _bufIm.AsSpan();
        br.Clear();
        bi.Clear();
        for (var k = 0; k < n; k++)
        {
            br[k] = re[k] * _chirpRe![k] - im[k] * _chirpIm![k];
            bi[k] = re[k] * _chirpIm[k] + im[k] * _chirpRe[k];
        }
        _inner.Forward(br, bi);
        for (var k = 0; k < m; k++)
        {
            var r = br[k] * _kernelRe![k] - bi[k] * _kernelIm![k];
            var i = br[k] * _kernelIm[k] + bi[k] * _kernelRe[k];
            br[k] = r;
            bi[k] = i;
        }
        _inner.Inverse(br, bi);
        var scale = 1.0 / m;
        for (var k = 0; k < n; k++)
        {
            double cr = br[k] * scale, ci = bi[k] * scale;
            re[k] = cr * _chirpRe![k] - ci * _chirpIm![k];
            im[k] = cr * _chirpIm[k] + ci * _chirpRe[k];
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
        v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
        v = ((v >> 4) & 0x0F0F0F0F) | ((v & 0x0F0F0F0F) << 4);
        v = ((v >> 8) & 0x00FF00FF) | ((v & 0x00FF00FF) << 8);
        return (v >> 16) | (v << 16);
    }
}
