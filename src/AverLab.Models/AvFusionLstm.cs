using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>Audio-visual fusion with an LSTM over face frames (the PyTorch seed): per-frame face embeddings from a
/// ResNet18 (FaceResNet without its head), an audio embedding from a ResNet18 on MFCC (AudioResNet without its head),
/// an optional 9-value transcript sentiment vector, concatenated into a dense classifier.
/// <code>
/// frames B x T x 3 x 64 x 64 ─ face_encoder (ResNet18) per frame → 512 → Dropout → BN → LSTM(512→128) → last step ┐
/// audio  B x 3 x 126 x 13    ─ audio_encoder (ResNet18) → 512 → Dropout → BN ─────────────────────────────────────┼ concat
/// (optional landmarks B x T x LandmarkCount join each frame's 512 before the LSTM)
/// sentiment B x 9 (optional) ──────────────────────────────────────────────────────────────────────────────────────┘
///   → classifier: Linear(128) → BN → [Linear 128, ReLU, Dropout, BN] → Linear(classes)
/// </code>
/// Pretrained encoders load from FaceResNet / AudioResNet checkpoints (<see cref="LoadFaceEncoder"/>,
/// <see cref="LoadAudioEncoder"/>); <see cref="AvFusionLstmOptions.FreezeFace"/> / FreezeAudio stop their gradients.</summary>
public sealed class AvFusionLstm : EmotionModel
{
    private readonly ResNetBackbone faceEncoder, audioEncoder;
    private readonly UniformMaskDropout faceDropout, audioDropout;
    private readonly BatchNorm1d faceBn, audioBn;
    private readonly LSTM lstm;
    private readonly nn.Module<Tensor, Tensor> classifier;

    public AvFusionLstm(AvFusionLstmOptions options) : base(nameof(AvFusionLstm), options.NumClasses)
    {
        Options = options;
        const long embed = ResNetBackbone.FeatureSize;
        faceEncoder = this.RegisterModule("face_encoder", new ResNetBackbone(18, channelsLast: options.ChannelsLast));
        faceDropout = this.RegisterModule("face_dropout", new UniformMaskDropout(options.Dropout));
        faceBn = this.RegisterModule("face_bn", nn.BatchNorm1d(embed));
        if (options.LandmarkCount < 0) throw new ArgumentException($"AvFusionLstm: LandmarkCount must be 0 or positive, got {options.LandmarkCount}");
        lstm = this.RegisterModule("lstm", nn.LSTM(embed + options.LandmarkCount, options.LstmHidden, batchFirst: true));
        audioEncoder = this.RegisterModule("audio_encoder", new ResNetBackbone(18));
        audioDropout = this.RegisterModule("audio_dropout", new UniformMaskDropout(options.Dropout));
        audioBn = this.RegisterModule("audio_bn", nn.BatchNorm1d(embed));
        var fused = options.LstmHidden + embed + (options.UseSentiment ? SentimentSize : 0);
        classifier = this.RegisterModule("classifier", DenseHead.Create(fused, options.HiddenSize, options.DenseLayers, options.Dropout, options.NumClasses));
        if (options.FreezeFace) faceEncoder.freeze();
        if (options.FreezeAudio) audioEncoder.freeze();
    }

    /// <summary>Width of the transcript sentiment vector.</summary>
    public const int SentimentSize = 9;

    public AvFusionLstmOptions Options { get; }

    public override InputKinds Inputs => InputKinds.Frames | InputKinds.Audio | (Options.UseSentiment ? InputKinds.Sentiment : InputKinds.None)
        | (Options.LandmarkCount > 0 ? InputKinds.Landmarks : InputKinds.None);

    /// <summary>Both cores pay for its convolutions (see <see cref="EmotionModel.PreferredThreads"/>).</summary>
    public override int PreferredThreads => 0;

    /// <summary>Frames B x T x 3 x H x W → the LSTM's last hidden state B x 128.</summary>
    public Tensor forward_face(Tensor frames, Tensor? landmarks = null)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (frames.shape[0], frames.shape[1]);
        var perFrame = faceEncoder.forward(frames.flatten(0, 1));         // (B·T) x 512
        var embedded = faceBn.forward(faceDropout.forward(perFrame)).view(b, t, -1);
        if (Options.LandmarkCount > 0)
        {
            if (landmarks is null || landmarks.dim() != 3 || landmarks.shape[1] != t || landmarks.shape[2] != Options.LandmarkCount)
                throw new ArgumentException($"AvFusionLstm was built for landmarks B x {t} x {Options.LandmarkCount}, got {(landmarks is null ? "none" : $"[{string.Join(", ", landmarks.shape)}]")}");
            embedded = cat([embedded, landmarks], 2);                     // per frame: face embedding ++ landmarks
        }
        var (output, h, c) = lstm.forward(embedded);
        return output.select(1, -1).MoveToOuterDisposeScope();
    }

    /// <summary>Audio B x 3 x 126 x 13 → B x 512.</summary>
    public Tensor forward_audio(Tensor audio)
    {
        using var scope = NewDisposeScope();
        return audioBn.forward(audioDropout.forward(audioEncoder.forward(audio))).MoveToOuterDisposeScope();
    }

    public override Tensor forward(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        return classifier.forward(forward_embedding(inputs)).MoveToOuterDisposeScope();
    }

    /// <summary>The fused vector the classifier reads: the face LSTM's last state, the audio embedding, the sentiment.</summary>
    public override Tensor forward_embedding(ModelInputs inputs)
    {
        var frames = inputs.Require(InputKinds.Frames, nameof(AvFusionLstm), 5, "B x T x 3 x 64 x 64");
        var audio = inputs.Require(InputKinds.Audio, nameof(AvFusionLstm), 4, "B x 3 x 126 x 13");
        using var scope = NewDisposeScope();
        return Fuse(inputs, forward_face(frames, Options.LandmarkCount > 0 ? inputs.Landmarks : null), forward_audio(audio)).MoveToOuterDisposeScope();
    }

    private Tensor Fuse(ModelInputs inputs, Tensor face, Tensor audio)
    {
        var parts = new List<Tensor> { face, audio };
        if (Options.UseSentiment)
        {
            var s = inputs.Require(InputKinds.Sentiment, nameof(AvFusionLstm), 2, $"B x {SentimentSize}");
            if (s.shape[1] != SentimentSize) throw new ArgumentException($"AvFusionLstm expects {SentimentSize} sentiment values, got {s.shape[1]}");
            parts.Add(s);
        }
        return cat(parts.ToArray(), 1);
    }

    /// <summary>Logits and both encoders' layer4 maps: the face encoder's per frame ((B·T) x 512 x h x w, aligned with
    /// each face frame) and the audio encoder's (B x 512 x h x w, aligned with the MFCC image).</summary>
    public override (Tensor logits, IReadOnlyList<ActivationMaps> maps) forward_with_maps(ModelInputs inputs)
    {
        var frames = inputs.Require(InputKinds.Frames, nameof(AvFusionLstm), 5, "B x T x 3 x 64 x 64");
        var audio = inputs.Require(InputKinds.Audio, nameof(AvFusionLstm), 4, "B x 3 x 126 x 13");
        using var scope = NewDisposeScope();
        var (b, t) = (frames.shape[0], frames.shape[1]);
        var faceMaps = faceEncoder.forward_maps(frames.flatten(0, 1));
        var embedded = faceBn.forward(faceDropout.forward(faceMaps.mean([2L, 3L]))).view(b, t, -1);
        if (Options.LandmarkCount > 0)
        {
            var landmarks = inputs.Landmarks;
            if (landmarks is null || landmarks.dim() != 3 || landmarks.shape[1] != t || landmarks.shape[2] != Options.LandmarkCount)
                throw new ArgumentException($"AvFusionLstm was built for landmarks B x {t} x {Options.LandmarkCount}, got {(landmarks is null ? "none" : $"[{string.Join(", ", landmarks.shape)}]")}");
            embedded = cat([embedded, landmarks], 2);
        }
        var (output, h, c) = lstm.forward(embedded);
        var audioMaps = audioEncoder.forward_maps(audio);
        var audioVector = audioBn.forward(audioDropout.forward(audioMaps.mean([2L, 3L])));
        var logits = classifier.forward(Fuse(inputs, output.select(1, -1), audioVector));
        return (logits.MoveToOuterDisposeScope(),
        [
            new ActivationMaps("face_encoder.layer4", InputKinds.Frames, faceMaps.MoveToOuterDisposeScope(), t),
            new ActivationMaps("audio_encoder.layer4", InputKinds.Audio, audioMaps.MoveToOuterDisposeScope(), 1),
        ]);
    }

    /// <summary>Loads the face encoder from a FaceResNet (or torchvision resnet18) checkpoint; its head is ignored.</summary>
    public void LoadFaceEncoder(string path) => CheckpointLoading.LoadInto(faceEncoder, path, "", skipPrefix: "fc.");

    /// <summary>Loads the audio encoder from an AudioResNet checkpoint; its head is ignored.</summary>
    public void LoadAudioEncoder(string path) => CheckpointLoading.LoadInto(audioEncoder, path, "", skipPrefix: "fc.");

    internal static readonly ModelSpec Spec = new("av_fusion_lstm",
        "Face ResNet18 per frame → LSTM(128) + audio ResNet18 + optional sentiment → dense classifier",
        typeof(AvFusionLstmOptions), InputKinds.Frames | InputKinds.Audio,
        ModelSpec.Factory<AvFusionLstmOptions>("av_fusion_lstm", o => new AvFusionLstm(o)));
}

/// <summary>Options of <see cref="AvFusionLstm"/>; defaults are the seed's architecture.</summary>
public sealed class AvFusionLstmOptions
{
    public int NumClasses { get; set; } = 8;
    public int LstmHidden { get; set; } = 128;
    public int HiddenSize { get; set; } = 128;
    /// <summary>Landmark values per frame joined to the face embedding before the LSTM (272 = 68 x 2 coordinates +
    /// deltas); 0 = none. Training sets it from features.landmarks.</summary>
    public int LandmarkCount { get; set; }
    /// <summary>n in Linear(hidden) → BN → (n−1) x [Linear, ReLU, Dropout, BN] → Linear(classes).</summary>
    public int DenseLayers { get; set; } = 2;
    public double Dropout { get; set; } = 0.3;
    public bool UseSentiment { get; set; }
    public bool FreezeFace { get; set; }
    public bool FreezeAudio { get; set; }
    /// <summary>A FaceResNet18 checkpoint (or run folder) whose backbone initialises the face encoder of a new run.</summary>
    public string? FaceCheckpoint { get; set; }
    /// <summary>An AudioResNet checkpoint (or run folder) whose backbone initialises the audio encoder of a new run.</summary>
    public string? AudioCheckpoint { get; set; }
    /// <summary>Compute the convolutions channels-last (NHWC weights and activations): the same model, values within
    /// convolution rounding, and a faster CPU step (bench/compare models). false: PyTorch's default NCHW.</summary>
    public bool ChannelsLast { get; set; } = true;
}
