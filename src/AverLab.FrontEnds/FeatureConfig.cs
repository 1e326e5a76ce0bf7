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
    [KeyDoc("standardize each feature row (vector features: each value) with the mean/std of the item's own speaker's utterances (all of them, labels unused), before the training-split scaler; statistics come from the speaker alone, so a test speaker's come from its own clips; inference needs several clips of the speaker (averlab-predict --speaker-clips)")]
    public bool SpeakerNorm { get; set; }
    [KeyDoc("what to do when no face is found: skip the item, or use the centre crop")]
    public string NoFace { get; set; } = "skip";
    [KeyDoc("faces, faces_audio, frames: none = box crop (faces) or whole frame (frames); landmarks = the 68 dlib landmarks of the largest face mapped by a similarity transform (Umeyama) onto the landmark model's mean shape, the crop re-sampled from the frame so the template fills image_size² with a 20 % margin")]
    public string Align { get; set; } = "none";
    [KeyDoc("faces, faces_audio, frames: add the 68 x 2 landmark coordinates (normalised by the same similarity transform, template units ~0..1) as an extra model input; sequences (frames, faces_audio) also get their frame-to-frame deltas (136 + 136 per frame); the model's landmark_count is set from it")]
    public bool Landmarks { get; set; }
    [KeyDoc("audio noise reduction before any feature: none, or spectral_gate (noisereduce's stationary spectral gating: per-frequency threshold = noise mean + denoise_n_std x std in dB, mask smoothed over 32 Hz x 32 ms)")]
    public string Denoise { get; set; } = "none";
    [Range(0, 10), KeyDoc("spectral_gate: standard deviations above the noise's mean (dB) a bin must reach to pass")]
    public double DenoiseNStd { get; set; } = 1.5;
    [Range(0, 1), KeyDoc("spectral_gate: fraction of the gated energy removed (1 = all, 0 = none)")]
    public double DenoisePropDecrease { get; set; } = 1.0;
    [KeyDoc("spectral_gate: a clip of the noise alone for its statistics; empty = the quietest 20 % of each clip's frames")]
    public string? DenoiseNoiseClip { get; set; }
    [KeyDoc("trim leading and trailing audio quieter than this many dB under the loudest frame (librosa.effects.trim, after denoise, before padding); empty = no trim")]
    public double? TrimTopDb { get; set; }
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
        if (Align is not ("none" or "landmarks")) return $"align: '{Align}' is not allowed (allowed: none, landmarks)";
        if ((Align != "none" || Landmarks) && Kind is not (FeatureKind.Faces or FeatureKind.FacesAudio or FeatureKind.Frames))
            return $"align: landmarks and landmarks: true need kind faces, faces_audio or frames, not {Kind}";
        if (Denoise is not ("none" or "spectral_gate")) return $"denoise: '{Denoise}' is not allowed (allowed: none, spectral_gate)";
        if (!string.IsNullOrEmpty(DenoiseNoiseClip) && !File.Exists(DenoiseNoiseClip)) return $"denoise_noise_clip: file not found: {DenoiseNoiseClip}";
        if (!string.IsNullOrEmpty(DenoiseNoiseClip) && Denoise == "none") return "denoise_noise_clip is set but denoise is none";
        if (TrimTopDb is { } top && !(top > 0 && top <= 200)) return $"trim_top_db: {top} is out of range (0, 200]";
        if ((Denoise != "none" || TrimTopDb != null) && Kind is FeatureKind.Frames or FeatureKind.Faces or FeatureKind.Pixels)
            return $"denoise and trim_top_db clean audio; kind {Kind} reads no audio";
        return null;
    }
}
