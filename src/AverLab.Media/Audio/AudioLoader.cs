namespace AverLab.Media.Audio;

/// <summary>librosa.load-style loading: PCM/float WAV through <see cref="WavReader"/>, FLAC through <see cref="FlacReader"/>
/// when it verifies the file, everything else (and WAV codecs or FLAC files those readers do not take) through
/// <see cref="AudioDecoder"/>; then offset/duration, mono downmix,
/// resampling, noise reduction, silence trim and the length policy of <see cref="AudioLoadOptions"/>.</summary>
public static class AudioLoader
{
    public static AudioSignal Load(string path, AudioLoadOptions? options = null)
    {
        var o = options ?? new AudioLoadOptions();
        if (o.Offset < 0) throw new ArgumentOutOfRangeException(nameof(options), o.Offset, "offset must be non-negative");
        if (o.Duration is <= 0) throw new ArgumentOutOfRangeException(nameof(options), o.Duration, "duration must be positive");
        if (o.Policy != LengthPolicy.None && o.TargetLength is not > 0)
            throw new ArgumentException($"length policy {o.Policy} needs a positive TargetLength", nameof(options));

        var signal = ReadNative(path, o);
        if (o.Mono && signal.ChannelCount > 1) signal = new AudioSignal(signal.ToMono(), signal.SampleRate);
        if (o.SampleRate is { } sr && sr != signal.SampleRate) signal = Resampler.Resample(signal, sr);
        if (o.Denoise is { } gate)
            signal = new AudioSignal(signal.Channels.Select(c => SpectralGate.Reduce(c, signal.SampleRate, gate, o.DenoiseNoise, o.DenoiseNoise != null)).ToArray(), signal.SampleRate);
        if (o.TrimTopDb is { } top)
        {
            var mono = signal.ChannelCount == 1 ? signal.Channels[0] : signal.ToMono();
            var (s, e) = SilenceTrimmer.NonSilentRange(mono, top, o.TrimFrameLength, o.TrimHopLength);
            if (e <= s) throw new MediaFormatException(path, $"the clip is silent (no frame within {top} dB of the loudest)");
            signal = new AudioSignal(signal.Channels.Select(c => c[s..e]).ToArray(), signal.SampleRate);
        }
        if (o.Policy != LengthPolicy.None)
            signal = new AudioSignal(signal.Channels.Select(c => FitLength(c, o.TargetLength!.Value, o.Policy)).ToArray(), signal.SampleRate);
        return signal;
    }

    private static AudioSignal ReadNative(string path, AudioLoadOptions o)
    {
        AudioDecoder.RequireFile(path);
        AudioSignal full;
        if (path.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".wave", StringComparison.OrdinalIgnoreCase))
        {
            try { full = WavReader.Read(path); }
            catch (MediaFormatException e) when (e.Problem.StartsWith("unsupported format tag", StringComparison.Ordinal))
            {
                return AudioDecoder.Decode(path, offset: o.Offset, duration: o.Duration); // e.g. A-law, ADPCM
            }
        }
        else if (path.EndsWith(".flac", StringComparison.OrdinalIgnoreCase) && FlacReader.TryRead(path) is { } flac)
            full = flac; // verified in full (CRCs, sample count, MD5): the samples ffmpeg would decode, without its two processes
        else
            return AudioDecoder.Decode(path, offset: o.Offset, duration: o.Duration);

        // librosa.load: start = round(offset * sr), length = round(duration * sr), both at the native rate.
        var start = (int)Math.Min(full.Length, Math.Round(o.Offset * full.SampleRate));
        var end = o.Duration is { } d ? (int)Math.Min(full.Length, start + Math.Round(d * full.SampleRate)) : full.Length;
        if (end <= start) throw new MediaFormatException(path, $"no audio samples after offset {o.Offset} s (the clip lasts {full.Duration:F3} s)");
        if (start == 0 && end == full.Length) return full;
        return new AudioSignal(full.Channels.Select(c => c[start..end]).ToArray(), full.SampleRate);
    }

    /// <summary>Fits one channel to <paramref name="n"/> samples with <paramref name="policy"/>.</summary>
    public static float[] FitLength(float[] x, int n, LengthPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (policy == LengthPolicy.None || x.Length == n) return x;
        var o = new float[n];
        switch (policy)
        {
            case LengthPolicy.PadEnd:
                x.AsSpan(0, Math.Min(n, x.Length)).CopyTo(o);
                break;
            case LengthPolicy.KeepLastPadMean:
                if (x.Length >= n) x.AsSpan(x.Length - n).CopyTo(o);
                else
                {
                    var mean = x.Length == 0 ? 0f : (float)x.Average(v => (double)v);
                    o.AsSpan(0, n - x.Length).Fill(mean);
                    x.CopyTo(o.AsSpan(n - x.Length));
                }
                break;
            case LengthPolicy.Centre:
                if (x.Length >= n) x.AsSpan((x.Length - n) / 2, n).CopyTo(o);
                else x.CopyTo(o.AsSpan((n - x.Length) / 2));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(policy), policy, null);
        }
        return o;
    }
}
