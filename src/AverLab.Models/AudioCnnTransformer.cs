using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>The two-parallel CNN + Transformer speech emotion model (Zenkov's "parallel_all_you_want"), on an MFCC image
/// B x 1 x 40 x 282. Keys follow the original repository (conv2Dblock1, transformer_encoder, fc1_linear).
/// <code>
///          ┌ conv2Dblock1: [Conv 1→16, BN, ReLU, MaxPool 2, Drop .3] [Conv →32, BN, ReLU, MaxPool 4, Drop .3] [Conv →64, BN, ReLU, MaxPool 4, Drop .3] → 512 ┐
/// MFCC ────┼ conv2Dblock2: (same)                                                                                                              → 512 ┼ concat 1064 → fc1_linear → logits
///          └ MaxPool [1,4] → (70, B, 40) → 4 x TransformerEncoderLayer(40, 4 heads, ff 512, drop .4, post-norm) → mean over time → 40 ┘
/// </code></summary>
public sealed class AudioCnnTransformer : EmotionModel
{
    private readonly Sequential[] convBlocks;
    private readonly MaxPool2d transformerMaxpool;
    private readonly TransformerEncoder transformerEncoder;
    private readonly Linear fc1Linear;

    public AudioCnnTransformer(AudioCnnTransformerOptions options) : base(nameof(AudioCnnTransformer), options.NumClasses)
    {
        Options = options;
        if (options.ConvBranches < 0) throw new ArgumentException($"AudioCnnTransformer: ConvBranches must be at least 0, got {options.ConvBranches}");
        if (options.NMfcc % options.Heads != 0)
            throw new ArgumentException($"AudioCnnTransformer: the transformer width NMfcc ({options.NMfcc}) must be divisible by Heads ({options.Heads})");
        convBlocks = new Sequential[options.ConvBranches];
        for (var i = 0; i < options.ConvBranches; i++)
            convBlocks[i] = this.RegisterModule($"conv2Dblock{i + 1}", ConvBranch(options.ConvDropout));
        transformerMaxpool = this.RegisterModule("transformer_maxpool", nn.MaxPool2d([1, options.TimePool], [1, options.TimePool]));
        var layer = nn.TransformerEncoderLayer(options.NMfcc, options.Heads, options.FeedForward, options.TransformerDropout, nn.Activations.ReLU);
        transformerEncoder = this.RegisterModule("transformer_encoder", nn.TransformerEncoder(layer, options.TransformerLayers));
        fc1Linear = this.RegisterModule("fc1_linear", nn.Linear(options.ConvBranches * ConvEmbeddingSize(options) + options.NMfcc, options.NumClasses));
        if (options.ChannelsLast) this.ToChannelsLast();  // only the 4-D conv weights change layout
    }

    public AudioCnnTransformerOptions Options { get; }

    public override InputKinds Inputs => InputKinds.Audio;

    /// <summary>Both cores: its convolutions and attention are large enough to gain from two threads (bench/RESULTS.md,
    /// "Threads per model").</summary>
    public override int PreferredThreads => 0;

    /// <summary>One conv branch: three [Conv 3x3 s1 p1, BN, ReLU, MaxPool, Dropout] stages, 1→16→32→64 channels,
    /// pools 2, 4, 4.</summary>
    private static Sequential ConvBranch(double dropout) => nn.Sequential(
        nn.Conv2d(1, 16, 3, stride: 1, padding: 1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2, 2), new UniformMaskDropout(dropout),
        nn.Conv2d(16, 32, 3, stride: 1, padding: 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(4, 4), new UniformMaskDropout(dropout),
        nn.Conv2d(32, 64, 3, stride: 1, padding: 1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(4, 4), new UniformMaskDropout(dropout));

    /// <summary>Flattened size of one conv branch: 64 x floor(floor(floor(H/2)/4)/4) x (same for W) = 64 x 1 x 8 = 512.</summary>
    public static long ConvEmbeddingSize(AudioCnnTransformerOptions o) => 64 * (o.NMfcc / 2 / 4 / 4) * (o.Frames / 2 / 4 / 4);

    /// <summary>The 1064-wide embedding before the classifier (conv branches, then the transformer's time mean).</summary>
    public Tensor forward_features(Tensor audio)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        var convInput = Options.ChannelsLast ? audio.ToChannelsLast() : audio;
        foreach (var block in convBlocks) parts.Add(block.forward(convInput).flatten(1));
        var pooled = transformerMaxpool.forward(audio).squeeze(1);       // B x 40 x 70
        var sequence = pooled.permute(2, 0, 1);                          // 70 x B x 40 (time first, batch_first=False)
        parts.Add(transformerEncoder.call(sequence).mean([0L]));         // B x 40
        return cat(parts.ToArray(), 1).MoveToOuterDisposeScope();
    }

    public override Tensor forward(ModelInputs inputs)
    {
        var audio = CheckedAudio(inputs);
        using var scope = NewDisposeScope();
        return fc1Linear.forward(forward_features(audio)).MoveToOuterDisposeScope();
    }

    private Tensor CheckedAudio(ModelInputs inputs)
    {
        var audio = inputs.Require(InputKinds.Audio, nameof(AudioCnnTransformer), 4, $"B x 1 x {Options.NMfcc} x {Options.Frames}");
        if (audio.shape[1] != 1 || audio.shape[2] != Options.NMfcc || audio.shape[3] != Options.Frames)
            throw new ArgumentException($"AudioCnnTransformer was built for MFCC B x 1 x {Options.NMfcc} x {Options.Frames}, got [{string.Join(", ", audio.shape)}]");
        return audio;
    }

    /// <summary>The 1064-wide embedding the classifier reads (<see cref="forward_features"/>).</summary>
    public override Tensor forward_embedding(ModelInputs inputs) => forward_features(CheckedAudio(inputs));

    /// <summary>Logits and, per conv branch, its third stage's activations after the ReLU and before the last pool
    /// (B x 64 x H/8 x W/8: 5 x 35 for 40 x 282 MFCC), aligned with the MFCC image. The transformer branch has no maps.</summary>
    public override (Tensor logits, IReadOnlyList<ActivationMaps> maps) forward_with_maps(ModelInputs inputs)
    {
        var audio = CheckedAudio(inputs);
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        var maps = new List<ActivationMaps>();
        var convInput = Options.ChannelsLast ? audio.ToChannelsLast() : audio;
        for (var b = 0; b < convBlocks.Length; b++)
        {
            var stages = convBlocks[b].children().Cast<nn.Module<Tensor, Tensor>>().ToList();
            var lastRelu = stages.FindLastIndex(m => m is ReLU);
            var y = convInput;
            for (var i = 0; i < stages.Count; i++)
            {
                y = stages[i].forward(y);
                if (i == lastRelu) maps.Add(new ActivationMaps($"conv2Dblock{b + 1}", InputKinds.Audio, y.MoveToOuterDisposeScope(), 1));
            }
            parts.Add(y.flatten(1));
        }
        var sequence = transformerMaxpool.forward(audio).squeeze(1).permute(2, 0, 1);
        parts.Add(transformerEncoder.call(sequence).mean([0L]));
        return (fc1Linear.forward(cat(parts.ToArray(), 1)).MoveToOuterDisposeScope(), maps);
    }

    internal static readonly ModelSpec Spec = new("audio_cnn_transformer",
        "Two parallel 2D-CNN branches + a 4-layer transformer encoder on an MFCC image (B x 1 x 40 x 282)",
        typeof(AudioCnnTransformerOptions), InputKinds.Audio,
        ModelSpec.Factory<AudioCnnTransformerOptions>("audio_cnn_transformer", o => new AudioCnnTransformer(o)));
}

/// <summary>Options of <see cref="AudioCnnTransformer"/>; defaults are the published model (248,488 parameters with 8 classes).</summary>
public sealed class AudioCnnTransformerOptions
{
    public int NumClasses { get; set; } = 8;
    /// <summary>Parallel conv branches (2 published; 3 is a published variant).</summary>
    public int ConvBranches { get; set; } = 2;
    /// <summary>MFCC coefficients: the input's height and the transformer's d_model.</summary>
    public int NMfcc { get; set; } = 40;
    /// <summary>MFCC frames: the input's width (282 = 3 s at 48 kHz, hop 512).</summary>
    public int Frames { get; set; } = 282;
    public int TimePool { get; set; } = 4;
    public int TransformerLayers { get; set; } = 4;
    public int Heads { get; set; } = 4;
    public int FeedForward { get; set; } = 512;
    public double TransformerDropout { get; set; } = 0.4;
    public double ConvDropout { get; set; } = 0.3;
    /// <summary>Compute the convolutions channels-last (NHWC weights and activations): the same model, values within
    /// convolution rounding, and a faster CPU step (bench/compare models). false: PyTorch's default NCHW.</summary>
    public bool ChannelsLast { get; set; } = true;

    /// <summary>Frames for a clip of <paramref name="seconds"/> at <paramref name="sampleRate"/> with a centred STFT of hop
    /// <paramref name="hopLength"/>: 1 + floor(samples / hop) (3 s, 48 kHz, hop 512 → 282).</summary>
    public static int FramesFor(double seconds, int sampleRate, int hopLength) => 1 + (int)(Math.Round(seconds * sampleRate) / hopLength);
}
