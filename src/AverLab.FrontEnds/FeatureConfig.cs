namespace AverLab.FrontEnds;

/// <summary>Front ends: mfcc [n_mfcc, frames]; mfcc_deltas [3, frames, n_mfcc]; handcrafted (a vector); frames
/// [T, C, S, S] (LRCN, ConvLSTM); faces (each detected face crop of a video's frames one image, face ResNet);
/// faces_audio (mfcc_deltas of the audio track + T face crops, the fusion LSTM); pixels (FER2013 CSV rows);
/// av_stats (40 MFCC means + 512 mean-pooled ResNet18 frame features, the AV transformer); mfcc_stats (mean and
/// standard deviation of each MFCC over the clip, with deltas' when features.deltas: a vector for the classical
/// baselines and the MLP).</summary>
public enum FeatureKind { Mfcc, MfccDeltas, LogMel, Handcrafted, Frames, Faces, FacesAudio, Pixels, AvStats, MfccStats }

public sealed class FeatureConfig : ISelfCheckedSection
{
    [KeyDoc("the front end; see the seed configs table in the top-level README")]
    public FeatureKind Kind { get; set; } = FeatureKind.Mfcc;
    [Range(1000, 192000), KeyDoc("audio is resampled to this rate (Hz)")] public int SampleRate { get; set; } = 16000;
    [Range(0, 3600), KeyDoc("seconds skipped at the start of each clip")] public double Offset { get; set; }
    [Range(0.1, 3600), KeyDoc("seconds kept (shorter clips are zero-padded at the end)")] public double Duration { get; set; } = 3.0;
    [Range(1, 128)] public int NMfcc { get; set; } = 40;
    [Range(16, 65536)] public int NFft { get; set; } = 1024;
    [KeyDoc("STFT window length; empty = n_fft")]
    public int? WinLength { get; set; }
    [Range(1, 65536)] public int HopLength { get; set; } = 512;
    [Range(1, 512)] public int NMels { get; set; } = 128;
    [KeyDoc("highest mel frequency (Hz); empty = sample_rate / 2")]
    public double? Fmax { get; set; }
    [KeyDoc("STFT window: hann or hamming")]
    public string Window { get; set; } = "hann";
    [Range(1, 1000), KeyDoc("video frames sampled evenly per clip (frames, faces) or face crops (faces_audio)")] public int Frames { get; set; } = 30;
    [Range(8, 1024), KeyDoc("side of the square frame or face crop (pixels)")] public int ImageSize { get; set; } = 64;
    [KeyDoc("read frames as one gray channel (face models replicate it to 3)")]
    public bool Grayscale { get; set; }
    [KeyDoc("standardize each feature row (MFCC coefficient) with mean/std fitted on the training split")]
    public bool Normalize { get; set; } = true;
    [KeyDoc("what to do when no face is found: skip the item, or use the centre crop")]
    public string NoFace { get; set; } = "skip";
    [KeyDoc("av_stats: torchvision resnet18 weights as safetensors (ImageNet, converted); empty = a fixed random-init ResNet18 (seed 0)")]
    public string? BackboneWeights { get; set; }
    [KeyDoc("mfcc_stats: also the mean and standard deviation of each coefficient's delta (librosa.feature.delta, width 9)")]
    public bool Deltas { get; set; }
    [KeyDoc("vector features (handcrafted, mfcc_stats, av_stats): project onto the principal components of the training split (after standardization); saved in model.json and applied by inference")]
    public PcaConfig? Pca { get; set; }
    [KeyDoc("vector features: SMOTE oversampling of the training split (after PCA) until every class has the largest class's count; validation and test are never touched")]
    public SmoteConfig? Smote { get; set; }

    /// <summary>Front ends whose examples are one feature vector ([1, F]): the ones PCA, SMOTE and the classical models take.</summary>
    public static bool IsVector(FeatureKind kind) => kind is FeatureKind.Handcrafted or FeatureKind.MfccStats or FeatureKind.AvStats;

    public string? FindProblem()
    {
        if ((Pca != null || Smote != null) && !IsVector(Kind))
            return $"{(Pca != null ? "pca" : "smote")}: needs a feature vector (kind handcrafted, mfcc_stats or av_stats), not " +
                   System.Text.RegularExpressions.Regex.Replace(Kind.ToString(), "(?<!^)([A-Z])", "_$1").ToLowerInvariant();
        if (NoFace is not ("skip" or "center")) return $"no_face: '{NoFace}' is not allowed (allowed: skip, center)";
        if (!string.IsNullOrEmpty(BackboneWeights) && !File.Exists(BackboneWeights)) return $"backbone_weights: file not found: {BackboneWeights}";
        return null;
    }
}
