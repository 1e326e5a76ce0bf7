namespace AverLab.Media.Features;

/// <summary>librosa.feature.melspectrogram as a configured transform (like torchaudio.transforms.MelSpectrogram):
/// window, FFT and a sparse copy of the filterbank are built once. Input: mono samples at
/// <see cref="MelSpectrogramOptions.SampleRate"/>. Output: [n_mels x frames], frames =
/// <see cref="StftOptions.FrameCount"/>. Not thread-safe (owns scratch buffers); use one per thread.</summary>
public sealed class MelSpectrogramExtractor
{
    private readonly Stft _stft;
    private readonly int[] _start, _end;   // per mel band: nonzero bin range [start, end)
    private readonly double[][] _weights;  // per mel band: weights over that range
    private readonly double[] _power;

    public MelSpectrogramExtractor(MelSpectrogramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _stft = new Stft(options.Stft);
        Filterbank = MelScale.Filterbank(options.SampleRate, options.Stft.NFft, options.NMels, options.FMin, options.FMax, options.Htk, options.Norm);
        _start = new int[options.NMels];
        _end = new int[options.NMels];
        _weights = new double[options.NMels][];
        for (var m = 0; m < options.NMels; m++)
        {
            var row = Filterbank.Row(m);
            int s = 0, e = row.Length;
            while (s < e && row[s] == 0) s++;
            while (e > s && row[e - 1] == 0) e--;
            _start[m] = s;
            _end[m] = e;
            _weights[m] = new double[e - s];
            for (var k = s; k < e; k++) _weights[m][k - s] = row[k];
        }
        _power = new double[options.Stft.Bins];
    }

    public MelSpectrogramOptions Options { get; }

    /// <summary>The mel filterbank [n_mels x (1 + n_fft/2)] (librosa.filters.mel).</summary>
    public FeatureMatrix Filterbank { get; }

    public int FrameCount(int samples) => Options.Stft.FrameCount(samples);

    /// <summary>Mel spectrogram [n_mels x frames].</summary>
    public FeatureMatrix Extract(ReadOnlySpan<float> y)
    {
        var frames = _stft.Prepare(y);
        var mels = Options.NMels;
        var o = new FeatureMatrix(mels, frames);
        var melFrame = new double[mels];
        for (var t = 0; t < frames; t++)
        {
            ComputeFrame(t, melFrame);
            for (var m = 0; m < mels; m++) o.Data[m * frames + t] = (float)melFrame[m];
        }
        return o;
    }

    /// <summary>Pads the signal and returns the frame count; then <see cref="ComputeFrame"/> per frame.</summary>
    internal int Prepare(ReadOnlySpan<float> y) => _stft.Prepare(y);

    /// <summary>Mel energies of frame <paramref name="t"/> into <paramref name="mel"/> (n_mels values), no allocation.</summary>
    internal void ComputeFrame(int t, Span<double> mel)
    {
        _stft.PowerFrame(t, _power);
        var p = _power.AsSpan();
        if (Options.Power != 2.0)
            for (var k = 0; k < p.Length; k++) p[k] = Math.Pow(p[k], Options.Power / 2);
        for (var m = 0; m < mel.Length; m++)
        {
            var w = _weights[m];
            mel[m] = VectorMath.Dot(w, p.Slice(_start[m], w.Length));
        }
    }
}
