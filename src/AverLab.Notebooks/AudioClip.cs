namespace AverLab.Notebooks;

/// <summary>A short mono clip that a notebook shows as an audio player (an HTML <c>&lt;audio&gt;</c> with the WAV
/// inline). Clips are cut to <see cref="MaxSeconds"/> and stored at 8 kHz, 16-bit: a stored notebook stays small.</summary>
public sealed class AudioClip
{
    public const double MaxSeconds = 3;
    public const int StoredRate = 8000;

    public AudioClip(float[] samples, int sampleRate, string caption = "")
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        // Nearest-sample decimation to 8 kHz is enough for listening; it is never fed to a model.
        var n = (int)Math.Min(samples.Length * (double)StoredRate / sampleRate, MaxSeconds * StoredRate);
        Samples = new float[n];
        for (var i = 0; i < n; i++) Samples[i] = samples[Math.Min(samples.Length - 1, (int)((long)i * sampleRate / StoredRate))];
        Caption = caption;
    }

    public float[] Samples { get; }
    public string Caption { get; }

    /// <summary>The clip as a 16-bit PCM WAV file.</summary>
    public byte[] Wav()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        var data = Samples.Length * 2;
        w.Write("RIFF"u8); w.Write(36 + data); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(StoredRate); w.Write(StoredRate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(data);
        foreach (var s in Samples) w.Write((short)Math.Round(Math.Clamp(s, -1f, 1f) * short.MaxValue));
        w.Flush();
        return stream.ToArray();
    }

    public string Html() =>
        $"<div><audio controls src=\"data:audio/wav;base64,{Convert.ToBase64String(Wav())}\"></audio> {System.Net.WebUtility.HtmlEncode(Caption)}</div>";
}
