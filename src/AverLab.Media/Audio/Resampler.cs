using System.Globalization;

namespace AverLab.Media.Audio;

/// <summary>Sample-rate conversion with ffmpeg's SoX resampler (libsoxr, 28-bit precision), samples piped in and
/// out as float32. The output has ceil(n * target / source) samples per channel, as librosa.resample returns.</summary>
public static class Resampler
{
    public static AudioSignal Resample(AudioSignal signal, int targetRate)
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
        var expected = (int)Math.Ceiling((double)n * targetRate / signal.SampleRate);
        var outSignal = AudioDecoder.Deinterleave(bytes, ch, targetRate);
        var channels = new float[ch][];
        for (var c = 0; c < ch; c++)
        {
            channels[c] = new float[expected]; // librosa.util.fix_length: trim or zero-pad to the expected length
            outSignal?.Channels[c].AsSpan(0, Math.Min(expected, outSignal.Length)).CopyTo(channels[c]);
        }
        return new AudioSignal(channels, targetRate);
    }
}
