namespace AverLab.Media.Audio;

/// <summary>Decoded audio: one float array per channel, samples in [-1, 1], at <see cref="SampleRate"/> Hz.</summary>
public sealed class AudioSignal
{
    public AudioSignal(float[][] channels, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length == 0) throw new ArgumentException("an audio signal needs at least one channel", nameof(channels));
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        var n = channels[0].Length;
        if (channels.Any(c => c.Length != n)) throw new ArgumentException("all channels must have the same length", nameof(channels));
        Channels = channels;
        SampleRate = sampleRate;
    }

    public AudioSignal(float[] mono, int sampleRate) : this([mono], sampleRate) { }

    public float[][] Channels { get; }
    public int SampleRate { get; }
    public int ChannelCount => Channels.Length;
    public int Length => Channels[0].Length;
    public double Duration => (double)Length / SampleRate;

    /// <summary>The average of all channels (librosa.to_mono).</summary>
    public float[] ToMono()
    {
        if (ChannelCount == 1) return Channels[0];
        var mono = new float[Length];
        foreach (var c in Channels)
            for (var i = 0; i < mono.Length; i++) mono[i] += c[i];
        var scale = 1f / ChannelCount;
        for (var i = 0; i < mono.Length; i++) mono[i] *= scale;
        return mono;
    }
}
