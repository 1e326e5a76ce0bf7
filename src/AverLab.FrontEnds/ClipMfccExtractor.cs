using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AverLab.Data.Features;
using AverLab.Media.Audio;
using AverLab.Media.Features;

namespace AverLab.FrontEnds;

/// <summary>The seeds' audio front end as one feature: librosa.load(sr, offset, duration) → fixed length (zero-pad
/// at the end; features.denoise and trim_top_db first, <see cref="AudioCleaning"/>) → MFCC, channel-first [n_mfcc, frames] (the CNN+Transformer's 40 x 282 with its settings). Any
/// container ffmpeg reads works (wav directly, the audio track of an mp4 through ffmpeg).</summary>
public sealed class ClipMfccExtractor : ISampleFeatureExtractor, IDisposable
{
    private readonly ThreadLocal<MfccExtractor> perThread;
    private readonly AudioLoadOptions load;

    public ClipMfccExtractor(FeatureConfig f)
    {
        Settings = f;
        var window = f.Window.ToLowerInvariant() switch
        {
            "hann" => WindowType.Hann,
            "hamming" => WindowType.Hamming,
            _ => throw new ArgumentException($"features.window: '{f.Window}' is not supported (hann, hamming)"),
        };
        Options = new MfccOptions
        {
            NMfcc = f.NMfcc,
            Mel = new MelSpectrogramOptions
            {
                SampleRate = f.SampleRate, NMels = f.NMels, FMax = f.Fmax,
                Stft = new StftOptions { NFft = f.NFft, HopLength = f.HopLength, WinLength = f.WinLength, Window = window },
            },
        };
        Samples = (int)Math.Round(f.Duration * f.SampleRate);
        load = AudioCleaning.Apply(f, new AudioLoadOptions
        {
            SampleRate = f.SampleRate, Offset = f.Offset, Duration = f.Duration, TargetLength = Samples, Policy = LengthPolicy.PadEnd,
        });
        perThread = new ThreadLocal<MfccExtractor>(() => new MfccExtractor(Options));
        var json = JsonSerializer.Serialize(new { Options, f.Offset, f.Duration, Samples });
        var cleaning = AudioCleaning.Key(f);
        ConfigHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("clip-mfcc-v1|" + json + (cleaning == "none" ? "" : "|" + cleaning))))[..16];
    }

    public FeatureConfig Settings { get; }
    public MfccOptions Options { get; }
    public int Samples { get; }
    public string Name => $"mfcc{Options.NMfcc}";
    public string ConfigHash { get; }

    /// <summary>Frames of a clip: 1 + samples / hop with centred frames.</summary>
    public int Frames => 1 + Samples / Options.Mel.Stft.ResolvedHopLength;

    public FeatureArray Extract(string path)
    {
        var signal = AudioLoader.Load(path, load);
        return ExtractSamples(signal.ToMono());
    }

    /// <summary>Features of samples already at the configured rate and already cleaned (inference cleans each window
    /// with <see cref="AudioCleaning.Clean"/> first); with <paramref name="pad"/> false the samples keep their own
    /// length (statistics over the real clip).</summary>
    public FeatureArray ExtractSamples(float[] mono, bool pad = true)
    {
        var y = pad ? AudioLoader.FitLength(mono, Samples, LengthPolicy.PadEnd) : mono;
        var m = perThread.Value!.Extract(y);
        return FeatureArray.Create(m.Data, m.Rows, m.Cols);
    }

    FeatureArray ISampleFeatureExtractor.ExtractSamples(float[] mono) => ExtractSamples(mono);

    public void Dispose() => perThread.Dispose();
}
