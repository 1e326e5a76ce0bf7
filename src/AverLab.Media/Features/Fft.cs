using System.Numerics;
using System.Runtime.InteropServices;

namespace AverLab.Media.Features;

/// <summary>In-place complex FFT of a fixed length on split real/imaginary arrays (double precision). Powers of two
/// use an iterative radix-2 transform with precomputed twiddles and bit-reversal table, vectorised with
/// <see cref="Vector{T}"/> across butterflies; other lengths use Bluestein's chirp-z algorithm on top of it.
/// An instance owns scratch buffers: use one per thread.</summary>
public sealed class Fft
{
    private readonly int[]? _bitReverse;
    private readonly double[]? _twRe, _twIm;      // stage with half-size h uses entries [h, 2h)
    private readonly Fft? _inner;                 // Bluestein: power-of-two FFT of length >= 2n - 1
    private readonly double[]? _chirpRe, _chirpIm, _kernelRe, _kernelIm, _bufRe, _bufIm;

    public Fft(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be positive");
        Length = length;
        if (BitOperations.IsPow2(length))
        {
            _bitReverse = new int[length];
            var bits = BitOperations.Log2((uint)length);
            for (var i = 0; i < length; i++)
                _bitReverse[i] = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
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
        var rev = _bitReverse!;
        for (var i = 0; i < n; i++)
        {
            var j = rev[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        // First stage (h = 1): twiddle 1.
        for (var s = 0; s + 1 < n; s += 2)
        {
            double ar = re[s], ai = im[s], br = re[s + 1], bi = im[s + 1];
            re[s] = ar + br; im[s] = ai + bi;
            re[s + 1] = ar - br; im[s + 1] = ai - bi;
        }
        var vw = Vector<double>.Count;
        for (var h = 2; h < n; h <<= 1)
        {
            var twr = _twRe.AsSpan(h, h);
            var twi = _twIm.AsSpan(h, h);
            if (h >= vw && Vector.IsHardwareAccelerated)
            {
                var vtr = MemoryMarshal.Cast<double, Vector<double>>(twr);
                var vti = MemoryMarshal.Cast<double, Vector<double>>(twi);
                for (var s = 0; s < n; s += 2 * h)
                {
                    var ar = MemoryMarshal.Cast<double, Vector<double>>(re.Slice(s, h));
                    var ai = MemoryMarshal.Cast<double, Vector<double>>(im.Slice(s, h));
                    var br = MemoryMarshal.Cast<double, Vector<double>>(re.Slice(s + h, h));
                    var bi = MemoryMarshal.Cast<double, Vector<double>>(im.Slice(s + h, h));
                    for (var j = 0; j < ar.Length; j++)
                    {
                        var tr = br[j] * vtr[j] - bi[j] * vti[j];
                        var ti = br[j] * vti[j] + bi[j] * vtr[j];
                        var xr = ar[j];
                        var xi = ai[j];
                        ar[j] = xr + tr; ai[j] = xi + ti;
                        br[j] = xr - tr; bi[j] = xi - ti;
                    }
                }
            }
            else
            {
                for (var s = 0; s < n; s += 2 * h)
                    for (var j = 0; j < h; j++)
                    {
                        int a = s + j, b = a + h;
                        var tr = re[b] * twr[j] - im[b] * twi[j];
                        var ti = re[b] * twi[j] + im[b] * twr[j];
                        var xr = re[a];
                        var xi = im[a];
                        re[a] = xr + tr; im[a] = xi + ti;
                        re[b] = xr - tr; im[b] = xi - ti;
                    }
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
