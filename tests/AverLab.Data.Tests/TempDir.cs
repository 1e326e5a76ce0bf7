namespace AverLab.Data.Tests;

/// <summary>A temporary folder deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "averlab-data-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>Creates a file (and its folders) with the given bytes, or a minimal valid WAV when null.</summary>
    public string File(string relative, byte[]? bytes = null)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllBytes(full, bytes ?? TinyWav(relative.GetHashCode()));
        return full;
    }

    public static byte[] TinyWav(int seed)
    {
        var r = new Random(seed);
        var samples = Enumerable.Range(0, 1600).Select(_ => (float)(r.NextDouble() - 0.5) * 0.1f).ToArray();
        return AverLab.Media.Audio.WavWriter.Encode(new AverLab.Media.Audio.AudioSignal(samples, 16000));
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
