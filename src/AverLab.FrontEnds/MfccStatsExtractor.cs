using System.Security.Cryptography;
using System.Text;
using AverLab.Data.Features;
using AverLab.Media.Audio;
using AverLab.Media.Features;

namespace AverLab.FrontEnds;

/// <summary>MFCC statistics of a clip as one vector [1, F]: the mean of each of n_mfcc coefficients over the clip's
/// frames, then their standard deviations (numpy's, ddof 0); with features.deltas also the mean and standard deviation
/// of each coefficient's delta (librosa.feature.delta, width 9), F = 2 x n_mfcc or 4 x n_mfcc. The clip is loaded as
/// <see cref="ClipMfccExtractor"/> loads it (rate, offset, duration) but not padded: the statistics cover the real
/// audio only. The classical baselines' and the MLP's MFCC front end.</summary>
public sealed class MfccStatsExtractor : ISampleFeatureExtractor, IDisposable
{
    private readonly ClipMfccExtractor mfcc;
    private readonly AudioLoadOptions load;
    private readonly bool deltas;

    public MfccStatsExtractor(FeatureConfig f)
    {
        mfcc = new ClipMfccExtractor(f);
        load = AudioCleaning.Apply(f, new AudioLoadOptions { SampleRate = f.SampleRate, Offset = f.Offset, Duration = f.Duration }); // denoise / trim_top_db
        deltas = f.Deltas;
        Size = (deltas ? 4 : 2) * f.NMfcc;
        ConfigHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"mfcc-stats-v1|{mfcc.ConfigHash}|{deltas}")))[..16];
    }

    public int Size { get; }
    public string Name => $"mfccstats{Size}";
    public string ConfigHash { get; }

    public FeatureArray Extract(string path)
    {
        var mono = AudioLoader.Load(path, load).ToMono();
        if (mono.Length == 0) throw new Media.MediaFormatException(path, "the audio track is empty");
        return ExtractSamples(mono);
    }

    public FeatureArray ExtractSamples(float[] mono)
    {
        var m = mfcc.ExtractSamples(mono, pad: false);
        int rows = (int)m.Shape[0], cols = (int)m.Shape[1];
        var data = new float[Size];
        Stats(m.Data, rows, cols, data, 0);
        if (deltas)
        {
            var d = Deltas.Compute(new FeatureMatrix(rows, cols, m.Data), 9, 1);
            Stats(d.Data, rows, cols, data, 2 * rows);
        }
        return FeatureArray.Create(data, 1, Size);
    }

    /// <summary>Means of each row into data[at..], standard deviations into data[at + rows..].</summary>
    private static void Stats(float[] x, int rows, int cols, float[] data, int at)
    {
        for (var r = 0; r < rows; r++)
        {
            double sum = 0, sq = 0;
            for (var c = 0; c < cols; c++) sum += x[r * cols + c];
            var mean = sum / cols;
            for (var c = 0; c < cols; c++)
            {
                var d = x[r * cols + c] - mean;
                sq += d * d;
            }
            data[at + r] = (float)mean;
            data[at + rows + r] = (float)Math.Sqrt(sq / cols);
        }
    }

    public void Dispose() => mfcc.Dispose();
}
