using System.Globalization;

namespace AverLab.Media.Audio;

/// <summary>Sample-rate conversion with the SoX resampler (libsoxr, 28-bit precision) as ffmpeg's
/// <c>aresample=resampler=soxr</c> runs it: in this process through libswresample when it is installed
/// (<see cref="InProcess"/>), else through the ffmpeg CLI with the samples piped in and out as float32 — the same
/// samples either way (ResamplerTests compares them bit for bit). The output has ceil(n * target / source) samples per
/// channel, as librosa.resample returns.</summary>
public static class Resampler
{
    /// <summary>Whether <see cref="Resample"/> runs in this process (libswresample 4 loaded) rather than spawning ffmpeg.</summary>
    public static bool InProcess => SwResampler.Available;

    public static AudioSignal Resample(AudioSignal signal, int targetRate)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (targetRate <= 0) throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate, "target rate must be positive");
        if (targetRate == signal.SampleRate) return signal;
        if (SwResampler.Available)
        {
            var channels = new float[signal.ChannelCount][];
            for (var c = 0; c < channels.Length; c++)
            {
                var y = SwResampler.Resample(signal.Channels[c], signal.SampleRate, targetRate, AudioDecoder.SoxrPrecision);
                if (y == null) return ResampleWithFfmpeg(signal, targetRate); // settings the library refused: the CLI says why
                channels[c] = FixLength(y, Expected(signal.Length, signal.SampleRate, targetRate));
            }
            return new AudioSignal(channels, targetRate);
        }
        return ResampleWithFfmpeg(signal, targetRate);
    }

    /// <summary>The same conversion through a child ffmpeg process (the fallback, and the reference the in-process
    /// path is checked against).</summary>
    public static AudioSignal ResampleWithFfmpeg(AudioSignal signal, int targetRate)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (targetRate <= 0) throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate, "target rate must be positive");
        if (targetRate == signal.SampleRate) return signal;
        int ch = signal.ChannelCount, n = signal.Length;
        var input = new byte[(long)n * ch * 4];
        var f = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(input.AsSpan());
        for (var i = 0; i < n; i++)
            for (var c = 0; c < ch; c++) f[i * ch + c] = signal.Channels[c][i];
        var inv = CultureInfo.InvariantCulture;
        var bytes = Ffmpeg.Run(Ffmpeg.FfmpegPath,
            ["-v", "error", "-f", "f32le", "-ar", signal.SampleRate.ToString(inv), "-ac", ch.ToString(inv), "-i", "pipe:0",
             "-af", $"aresample={targetRate}:resampler=soxr:precision={AudioDecoder.SoxrPrecision}",
             "-f", "f32le", "-acodec", "pcm_f32le", "pipe:1"],
            "<resampler input>", input);
        var expected = Expected(n, signal.SampleRate, targetRate);
        var outSignal = AudioDecoder.Deinterleave(bytes, ch, targetRate);
        var channels = new float[ch][];
        for (var c = 0; c < ch; c++) channels[c] = FixLength(outSignal?.Channels[c] ?? [], expected);
        return new AudioSignal(channels, targetRate);
    }

    private static int Expected(int n, int source, int target) => (int)Math.Ceiling((double)n * target / source);

    /// <summary>librosa.util.fix_length: trim or zero-pad to the expected length.</summary>
    private static float[] FixLength(float[] y, int expected)
    {
        if (y.Length == expected) return y;
        var o = new float[expected];
        y.AsSpan(0, Math.Min(expected, y.Length)).CopyTo(o);
        return o;
    }
}
