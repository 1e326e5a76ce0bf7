namespace AverLab.Media.Features;

/// <summary>librosa.stft as a configured transform: the window (scipy get_window, periodic, centred in n_fft) and
/// the real FFT are built once. Output shapes: complex and power spectrograms are [1 + n_fft/2 x frames] with
/// frames = <see cref="StftOptions.FrameCount"/>. Not thread-safe (owns scratch); use one per thread.</summary>
public sealed class Stft
{
    private readonly double[] _window;
    private readonly int _lo, _hi; // nonzero span of the padded window
    private readonly RealFft _fft;
    private readonly double[] _frame, _re, _im;
    private double[] _padded = [];

    public Stft(StftOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _window = Windows.PadCenter(Windows.Get(options.Window, options.ResolvedWinLength), options.NFft);
        _lo = (options.NFft - options.ResolvedWinLength) / 2;
        _hi = _lo + options.ResolvedWinLength;
        _fft = new RealFft(options.NFft);
        _frame = new double[options.NFft];
        _re = new double[options.Bins];
        _im = new double[options.Bins];
    }

    public StftOptions Options { get; }

    /// <summary>The analysis window as applied (length n_fft).</summary>
    public ReadOnlySpan<double> Window => _window;

    /// <summary>Complex STFT: real and imaginary parts, each [1 + n_fft/2 x frames].</summary>
    public (FeatureMatrix Real, FeatureMatrix Imag) Complex(ReadOnlySpan<float> y)
    {
        var frames = Prepare(y);
        var bins = Options.Bins;
        var re = new FeatureMatrix(bins, frames);
        var im = new FeatureMatrix(bins, frames);
        for (var t = 0; t < frames; t++)
        {
            Transform(t);
            for (var k = 0; k < bins; k++)
            {
                re.Data[k * frames + t] = (float)_re[k];
                im.Data[k * frames + t] = (float)_im[k];
            }
        }
        return (re, im);
    }

    /// <summary>|STFT|^power, [1 + n_fft/2 x frames]: power 1 is the magnitude, 2 the power spectrogram.</summary>
    public FeatureMatrix Spectrogram(ReadOnlySpan<float> y, double power = 2.0)
    {
        var frames = Prepare(y);
        var bins = Options.Bins;
        var s = new FeatureMatrix(bins, frames);
        var p = new double[bins];
        for (var t = 0; t < frames; t++)
        {
            PowerFrame(t, p);
            // Power 1 (the magnitude) through the correctly rounded square root, not a Math.Pow call per bin.
            for (var k = 0; k < bins; k++)
                s.Data[k * frames + t] = (float)(power == 2.0 ? p[k] : power == 1.0 ? Math.Sqrt(p[k]) : Math.Pow(p[k], power / 2));
        }
        return s;
    }

    /// <summary>Pads the signal into the internal buffer; returns the frame count. Then call <see cref="PowerFrame"/>.</summary>
    internal int Prepare(ReadOnlySpan<float> y)
    {
        var frames = Options.FrameCount(y.Length);
        if (frames < 1)
            throw new ArgumentException($"signal of {y.Length} samples is shorter than n_fft = {Options.NFft} (without centring)");
        var pad = Options.Center ? Options.NFft / 2 : 0;
        var total = y.Length + 2 * pad;
        if (_padded.Length < total) _padded = new double[total];
        for (var i = 0; i < y.Length; i++) _padded[pad + i] = y[i];
        if (pad > 0)
        {
            if (Options.PadMode == PadMode.Constant)
            {
                Array.Clear(_padded, 0, pad);
                Array.Clear(_padded, pad + y.Length, pad);
            }
            else if (y.Length == 1)
            {
                Array.Fill(_padded, y[0], 0, pad);          // numpy reflects a single sample into copies of itself
                Array.Fill(_padded, y[0], pad + 1, pad);
            }
            else
            {
                for (var i = 0; i < pad; i++)
                {
                    _padded[pad - 1 - i] = y[Reflect(i + 1, y.Length)];
                    _padded[pad + y.Length + i] = y[Reflect(y.Length - 2 - i, y.Length)];
                }
            }
        }
        return frames;
    }

    /// <summary>numpy 'reflect' index (mirror without repeating the edge), repeated for pads longer than the signal.</summary>
    private static int Reflect(int i, int n)
    {
        var period = 2 * (n - 1);
        i = ((i % period) + period) % period;
        return i < n ? i : period - i;
    }

    /// <summary>Power spectrum |X|^2 of frame <paramref name="t"/> (after <see cref="Prepare"/>) into <paramref name="power"/>.</summary>
    internal void PowerFrame(int t, Span<double> power)
    {
        if (_fft.IsPacked)
        {
            Pack(t);
            _fft.ForwardPackedPower(power);
            return;
        }
        Transform(t);
        for (var k = 0; k < power.Length; k++) power[k] = _re[k] * _re[k] + _im[k] * _im[k];
    }

    private void Transform(int t)
    {
        if (_fft.IsPacked)
        {
            Pack(t);
            _fft.ForwardPacked(_re, _im);
        }
        else
        {
            var start = t * Options.ResolvedHopLength;
            Array.Clear(_frame);
            for (var i = _lo; i < _hi; i++) _frame[i] = _padded[start + i] * _window[i];
            _fft.Forward(_frame, _re, _im);
        }
    }

    /// <summary>Windows frame <paramref name="t"/> into the real FFT's packed buffers (even samples real, odd imaginary).</summary>
    private void Pack(int t)
    {
        var start = t * Options.ResolvedHopLength;
        var pr = _fft.PackRe;
        var pi = _fft.PackIm;
        pr.Clear();
        pi.Clear();
        var lo = _lo & ~1;                    // even start; the window is zero outside [_lo, _hi)
        var hi = Math.Min(_hi + 1, Options.NFft) & ~1;
        var src = _padded.AsSpan(start, Options.NFft);
        var w = _window.AsSpan();
        for (var i = lo; i < hi; i += 2)
        {
            pr[i >> 1] = src[i] * w[i];
            pi[i >> 1] = src[i + 1] * w[i + 1];
        }
    }
}
