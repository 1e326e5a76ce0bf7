namespace AverLab.Media.Features;

/// <summary>librosa.feature.mfcc as a configured transform (like torchaudio.transforms.MFCC): mel spectrogram →
/// power_to_db (ref 1, amin 1e-10, top_db) → DCT-II ortho → first n_mfcc rows → optional lifter. Input: mono
/// samples at the configured rate. Output: [n_mfcc x frames]. The hot path: after construction, per-frame work
/// allocates nothing (scratch grows only when a longer clip arrives). Not thread-safe; use one per thread.</summary>
public sealed class MfccExtractor
{
    private readonly MelSpectrogramExtractor _mel;
    private readonly double[] _dct;     // [n_mfcc x n_mels]
    private readonly double[] _lifter;  // per coefficient, 1 when no liftering
    private readonly double[] _dctT;    // [n_mels x n_mfcc]
    private readonly double[] _acc;     // n_mfcc
    private double[] _melDb = [];       // [frames x n_mels]

    public MfccExtractor(MfccOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NMfcc < 1 || options.NMfcc > options.Mel.NMels)
            throw new ArgumentOutOfRangeException(nameof(options), options.NMfcc, "n_mfcc must be in [1, n_mels]");
        Options = options;
        _mel = new MelSpectrogramExtractor(options.Mel);
        _dct = Dct.Matrix(options.NMfcc, options.Mel.NMels);
        _dctT = new double[options.Mel.NMels * options.NMfcc];
        for (var k = 0; k < options.NMfcc; k++)
            for (var m = 0; m < options.Mel.NMels; m++) _dctT[m * options.NMfcc + k] = _dct[k * options.Mel.NMels + m];
        _acc = new double[options.NMfcc];
        _lifter = new double[options.NMfcc];
        for (var k = 0; k < options.NMfcc; k++)
            _lifter[k] = options.Lifter > 0 ? 1 + options.Lifter / 2.0 * Math.Sin(Math.PI * (k + 1) / options.Lifter) : 1.0;
    }

    public MfccOptions Options { get; }
    public MelSpectrogramExtractor Mel => _mel;

    /// <summary>MFCC [n_mfcc x frames].</summary>
    public FeatureMatrix Extract(ReadOnlySpan<float> y)
    {
        var frames = _mel.Prepare(y);
        var o = new FeatureMatrix(Options.NMfcc, frames);
        ExtractInto(frames, o.Data);
        return o;
    }

    /// <summary>MFCC into a caller's buffer of n_mfcc x frames floats (row-major); returns the frame count.</summary>
    public int Extract(ReadOnlySpan<float> y, Span<float> destination)
    {
        var frames = _mel.Prepare(y);
        if (destination.Length < Options.NMfcc * frames)
            throw new ArgumentException($"destination holds {destination.Length} values; {Options.NMfcc} x {frames} are needed", nameof(destination));
        ExtractInto(frames, destination);
        return frames;
    }

    /// <summary>MFCC [n_mfcc x frames] and, from the same pass, the mel power spectrogram [n_mels x frames] exactly as
    /// <see cref="MelSpectrogramExtractor.Extract"/> returns it (the same per-frame values, as float32): one STFT for
    /// callers that need both.</summary>
    public (FeatureMatrix Mfcc, FeatureMatrix MelPower) ExtractWithMel(ReadOnlySpan<float> y)
    {
        var frames = _mel.Prepare(y);
        var o = new FeatureMatrix(Options.NMfcc, frames);
        var mel = new FeatureMatrix(Options.Mel.NMels, frames);
        ExtractInto(frames, o.Data, mel.Data);
        return (o, mel);
    }

    private void ExtractInto(int frames, Span<float> output, Span<float> melPower = default)
    {
        int nMels = Options.Mel.NMels, nMfcc = Options.NMfcc;
        if (_melDb.Length < frames * nMels) _melDb = new double[frames * nMels];
        var db = _melDb.AsSpan(0, frames * nMels); // frame-major [frames x n_mels]: one frame stays in L1
        var max = double.NegativeInfinity;
        for (var t = 0; t < frames; t++)
        {
            var row = db.Slice(t * nMels, nMels);
            _mel.ComputeFrame(t, row);
            if (!melPower.IsEmpty)
                for (var m = 0; m < nMels; m++) melPower[m * frames + t] = (float)row[m];
            max = Math.Max(max, VectorMath.PowerToDbInPlace(row, 1e-10));
        }
        var floor = Options.TopDb is { } top ? max - top : double.NegativeInfinity;
        // Per frame: out[:, t] = D^T-weighted sum of mel rows, as axpys over the n_mfcc outputs (no reductions).
        var acc = _acc.AsSpan();
        var dctT = _dctT.AsSpan();
        for (var t = 0; t < frames; t++)
        {
            var row = db.Slice(t * nMels, nMels);
            acc.Clear();
            for (var m = 0; m < nMels; m++) VectorMath.Axpy(Math.Max(row[m], floor), dctT.Slice(m * nMfcc, nMfcc), acc);
            for (var k = 0; k < nMfcc; k++) output[k * frames + t] = (float)(acc[k] * _lifter[k]);
        }
    }

    /// <summary>MFCC of many clips in parallel, one extractor per worker thread (extractors are not thread-safe).
    /// Results keep the input order.</summary>
    public static FeatureMatrix[] ExtractMany(IReadOnlyList<float[]> clips, MfccOptions options, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var results = new FeatureMatrix[clips.Count];
        using var local = new ThreadLocal<MfccExtractor>(() => new MfccExtractor(options));
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => results[i] = local.Value!.Extract(clips[i]));
        return results;
    }

    /// <summary>The mel spectrogram in dB (power_to_db with this extractor's top_db, ref 1) [n_mels x frames], as
    /// computed on the way to the MFCC.</summary>
    public FeatureMatrix ExtractMelDb(ReadOnlySpan<float> y) => Decibels.PowerToDb(_mel.Extract(y), 1.0, 1e-10, Options.TopDb);
}
