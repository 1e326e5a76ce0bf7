namespace AverLab.Media.Features;

/// <summary>Window shapes for <see cref="Windows.Get"/>.</summary>
public enum WindowType { Hann, Hamming, Rectangular }

/// <summary>Analysis windows as scipy.signal.get_window(window, N, fftbins=True) returns them (periodic: the
/// symmetric window of length N + 1 without its last sample), which is what librosa.filters.get_window uses.</summary>
public static class Windows
{
    /// <summary>The window of length <paramref name="length"/>; <paramref name="periodic"/> false gives the symmetric form.</summary>
    public static double[] Get(WindowType type, int length, bool periodic = true)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "window length must be positive");
        var w = new double[length];
        if (length == 1) { w[0] = 1; return w; }
        var denom = periodic ? length : length - 1;
        for (var i = 0; i < length; i++)
        {
            var phase = 2 * Math.PI * i / denom;
            w[i] = type switch
            {
                WindowType.Hann => 0.5 - 0.5 * Math.Cos(phase),
                WindowType.Hamming => 0.54 - 0.46 * Math.Cos(phase),
                _ => 1.0,
            };
        }
        return w;
    }

    /// <summary>librosa.util.pad_center: the window centred in <paramref name="size"/> samples with zeros around it.</summary>
    public static double[] PadCenter(double[] window, int size)
    {
        if (window.Length > size) throw new ArgumentException($"window length {window.Length} exceeds n_fft {size}");
        var padded = new double[size];
        window.CopyTo(padded, (size - window.Length) / 2);
        return padded;
    }
}
