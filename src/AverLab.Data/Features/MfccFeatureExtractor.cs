using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AverLab.Media;
using AverLab.Media.Audio;
using AverLab.Media.Features;

namespace AverLab.Data.Features;

/// <summary>MFCCs of a WAV file (Media's <see cref="MfccExtractor"/>, one instance per thread since it owns scratch
/// buffers) as a time-major [frames, n_mfcc] feature array. Multi-channel audio is averaged to mono. A file whose
/// sample rate differs from the settings' is rejected (named, with both rates), never silently mis-featured.</summary>
public sealed class MfccFeatureExtractor : IFeatureExtractor, IDisposable
{
    private readonly ThreadLocal<MfccExtractor> perThread;

    public MfccFeatureExtractor(MfccOptions options, string name = "mfcc")
    {
        Options = options;
        Name = $"{name}{options.NMfcc}";
        perThread = new ThreadLocal<MfccExtractor>(() => new MfccExtractor(options));
        var json = JsonSerializer.Serialize(options);
        ConfigHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("mfcc-time-major-v1|" + json)))[..16];
    }

    public MfccOptions Options { get; }
    public string Name { get; }
    public string ConfigHash { get; }

    public FeatureArray Extract(string path)
    {
        var signal = WavReader.Read(path);
        if (signal.SampleRate != Options.Mel.SampleRate)
            throw new MediaFormatException(path, $"sample rate {signal.SampleRate} Hz, but the MFCC settings expect {Options.Mel.SampleRate} Hz; resample the corpus or change the settings");
        if (signal.Length == 0) throw new MediaFormatException(path, "no samples");
        var m = perThread.Value!.Extract(signal.ToMono());
        var data = new float[m.Rows * m.Cols];
        for (var r = 0; r < m.Rows; r++)
            for (var c = 0; c < m.Cols; c++) data[c * m.Rows + r] = m.Data[r * m.Cols + c];
        return FeatureArray.Create(data, m.Cols, m.Rows);
    }

    public void Dispose() => perThread.Dispose();
}
