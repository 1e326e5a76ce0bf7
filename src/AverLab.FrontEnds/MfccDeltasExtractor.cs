using System.Security.Cryptography;
using System.Text;
using AverLab.Data.Features;
using AverLab.Media.Features;

namespace AverLab.FrontEnds;

/// <summary>The ResNet audio seed's front end: MFCC, its delta and delta-delta (librosa.feature.delta, width 9) as
/// three channels of a time-major image, [3, frames, n_mfcc] (3 x 126 x 13 with 13 MFCCs over ~2.9 s at
/// 22,050 Hz, hop 512). Clip loading and length policy as <see cref="ClipMfccExtractor"/>.</summary>
public sealed class MfccDeltasExtractor(FeatureConfig f) : ISampleFeatureExtractor, IDisposable
{
    private readonly ClipMfccExtractor mfcc = new(f);

    public string Name => $"mfcc{f.NMfcc}d2";

    public string ConfigHash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        "mfcc-deltas-v1|" + new ClipMfccExtractor(f).ConfigHash)))[..16];

    public FeatureArray Extract(string path) => Stack(mfcc.Extract(path));

    public FeatureArray ExtractSamples(float[] mono) => Stack(mfcc.ExtractSamples(mono));

    private static FeatureArray Stack(FeatureArray m)
    {
        int rows = (int)m.Shape[0], cols = (int)m.Shape[1];
        var base0 = new FeatureMatrix(rows, cols, m.Data);
        var channels = new[] { base0, Deltas.Compute(base0, 9, 1), Deltas.Compute(base0, 9, 2) };
        var data = new float[3 * rows * cols];
        for (var ch = 0; ch < 3; ch++)
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++)
                    data[(ch * cols + c) * rows + r] = channels[ch].Data[r * cols + c]; // time-major: [ch, frame, coefficient]
        return FeatureArray.Create(data, 3, cols, rows);
    }

    public void Dispose() => mfcc.Dispose();
}
