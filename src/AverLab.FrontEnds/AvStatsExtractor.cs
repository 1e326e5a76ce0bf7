using System.Security.Cryptography;
using System.Text;
using AverLab.Data.Features;
using AverLab.Media;
using AverLab.Media.Audio;
using AverLab.Media.Faces;
using AverLab.Media.Features;
using AverLab.Media.Video;
using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.FrontEnds;

/// <summary>The AV transformer seed's clip statistics, 552 values: the means over time of n_mfcc (40) MFCCs of the
/// audio track (the whole clip from features.offset, up to features.duration, no padding), then the mean over
/// features.frames evenly spaced frames of a ResNet18's 512 pooled features of the face crop (the frame's centre
/// square when no face is found), ImageNet-normalized RGB at image_size². The ResNet18 carries
/// features.backbone_weights (torchvision's ImageNet resnet18 converted to safetensors, as the seed uses); without
/// them it is a fixed random-init ResNet18 (seed 0): random-projection features, weaker but reproducible.</summary>
public sealed class AvStatsExtractor : IFeatureExtractor, IDisposable
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    private readonly FeatureConfig f;
    private readonly FeatureConfig faces;
    private readonly ClipMfccExtractor mfcc;
    private readonly AudioLoadOptions load;
    private readonly ResNetBackbone backbone;
    private readonly PerThreadFaceDetector detector = new();
    private readonly Lock forwardLock = new();

    public AvStatsExtractor(FeatureConfig f)
    {
        this.f = f;
        faces = new FeatureConfig { Kind = FeatureKind.Faces, ImageSize = f.ImageSize, Grayscale = false, Frames = f.Frames };
        mfcc = new ClipMfccExtractor(f);
        load = AudioCleaning.Apply(f, new AudioLoadOptions { SampleRate = f.SampleRate, Offset = f.Offset, Duration = f.Duration });
        // A fixed init that leaves the global generator as it was (the run seeds it for the model later).
        using (var saved = torch.random.get_rng_state())
        {
            manual_seed(0);
            backbone = new ResNetBackbone(18);
            torch.random.set_rng_state(saved);
        }
        var weights = string.IsNullOrEmpty(f.BackboneWeights) ? "random-init-seed0" : FileHash(f.BackboneWeights);
        if (!string.IsNullOrEmpty(f.BackboneWeights)) backbone.load_pretrained(f.BackboneWeights);
        backbone.eval();
        ConfigHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"av-stats-v1|{mfcc.ConfigHash}|{f.Frames}|{f.ImageSize}|{weights}|{FaceCrops.Margin}")))[..16];
    }

    public const int VisualSize = (int)ResNetBackbone.FeatureSize;
    public int Size => f.NMfcc + VisualSize;
    public string Name => $"avstats{Size}";
    public string ConfigHash { get; }

    public FeatureArray Extract(string path)
    {
        var data = new float[Size];
        AudioMeans(path).CopyTo(data, 0);
        VisualMeans(path).CopyTo(data, f.NMfcc);
        return FeatureArray.Create(data, Size);
    }

    private float[] AudioMeans(string path)
    {
        var mono = AudioLoader.Load(path, load).ToMono();
        if (mono.Length == 0) throw new MediaFormatException(path, "the audio track is empty");
        var m = mfcc.ExtractSamples(mono, pad: false);
        var rows = (int)m.Shape[0];
        var cols = (int)m.Shape[1];
        var means = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            double s = 0;
            for (var c = 0; c < cols; c++) s += m.Data[r * cols + c];
            means[r] = (float)(s / cols);
        }
        return means;
    }

    private float[] VisualMeans(string path)
    {
        var frames = VideoFrameReader.ReadEvenlySpaced(path, f.Frames);
        if (frames.Count == 0) throw new MediaFormatException(path, "no video frames could be decoded");
        var s = f.ImageSize;
        var plane = s * s;
        var batch = new float[frames.Count * 3 * plane];
        for (var i = 0; i < frames.Count; i++)
        {
            var gray = frames[i].Image.ToGray();
            var crop = detector.Largest(gray) is { } box
                ? FaceCrops.Crop(frames[i].Image, gray, box, faces)
                : FaceCrops.Centre(frames[i].Image, gray, faces);
            for (var c = 0; c < 3; c++)
                for (var p = 0; p < plane; p++)
                    batch[(i * 3 + c) * plane + p] = (crop[c * plane + p] - ImageNetMean[c]) / ImageNetStd[c];
        }
        // One forward at a time: the cache fills from several threads and libtorch already uses every core.
        lock (forwardLock)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            return backbone.forward(tensor(batch, [frames.Count, 3, s, s])).mean([0L]).data<float>().ToArray();
        }
    }

    private static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose()
    {
        mfcc.Dispose();
        backbone.Dispose();
        detector.Dispose();
    }
}
