using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AverLab.Models;

/// <summary>ConvLSTM video classifier, the Keras seed: four ConvLSTM2D layers (return sequences), each followed by
/// MaxPool3D (1, 2, 2) with 'same' padding; TimeDistributed dropout after the first three; flatten; Dense.
/// <code>
/// frames B x 30 x 3 x 64 x 64 ─ ConvLSTM2D 4 (3x3 valid, recurrent_dropout .2) → 62² → MaxPool3D(1,2,2) same → 31² → Dropout .2
///                             ─ ConvLSTM2D 8  → 29² → 15² → Dropout .2 ─ ConvLSTM2D 14 → 13² → 7² → Dropout .2
///                             ─ ConvLSTM2D 16 → 5² → 3² ─ flatten 30 x 3 x 3 x 16 = 4320 ─ Dense(classes)
/// </code>
/// 58,926 parameters with 6 classes, Keras' count. Optional landmark input (features.landmarks): B x T x
/// LandmarkCount, each frame's values placed after that frame's flattened maps before the Dense head.</summary>
public sealed class ConvLstm : EmotionModel
{
    private readonly ConvLstm2d[] cells;
    private readonly BatchNorm2d?[] norms;
    private readonly UniformMaskDropout[] dropouts;
    private readonly Linear dense;

    public ConvLstm(ConvLstmOptions options) : base(nameof(ConvLstm), options.NumClasses)
    {
        Options = options;
        if (options.Filters.Length == 0) throw new ArgumentException("ConvLstm: Filters needs at least one layer");
        var n = options.Filters.Length;
        cells = new ConvLstm2d[n];
        norms = new BatchNorm2d?[n];
        dropouts = new UniformMaskDropout[n];
        long channels = options.Channels, size = options.FrameSize;
        for (var i = 0; i < n; i++)
        {
            cells[i] = this.RegisterModule($"convlstm{i + 1}", new ConvLstm2d(channels, options.Filters[i], 3, options.RecurrentDropout,
                options.RecurrentActivation switch
                {
                    "hard_sigmoid" => true,
                    "sigmoid" => false,
                    _ => throw new ArgumentException($"ConvLstm: RecurrentActivation must be hard_sigmoid or sigmoid, got '{options.RecurrentActivation}'"),
                }));
            if (options.BatchNorm) norms[i] = this.RegisterModule($"bn{i + 1}", nn.BatchNorm2d(options.Filters[i], eps: 1e-3, momentum: 0.01));
            dropouts[i] = this.RegisterModule($"dropout{i + 1}", new UniformMaskDropout(i < n - 1 ? options.Dropout : 0.0));
            channels = options.Filters[i];
            size = (size - 2 + 1) / 2;                                    // 'valid' 3x3 conv, then 'same' pool: ceil(s / 2)
            if (size < 1) throw new ArgumentException($"ConvLstm: frames of {options.FrameSize} pixels vanish after {i + 1} layers");
        }
        if (options.LandmarkCount < 0) throw new ArgumentException($"ConvLstm: LandmarkCount must be 0 or positive, got {options.LandmarkCount}");
        dense = this.RegisterModule("dense", nn.Linear(options.SequenceLength * (size * size * channels + options.LandmarkCount), options.NumClasses));
        KerasInit.Apply(this);
    }

    public ConvLstmOptions Options { get; }

    public override InputKinds Inputs => Options.LandmarkCount > 0 ? InputKinds.Frames | InputKinds.Landmarks : InputKinds.Frames;

    /// <summary>Both cores pay for its convolutions (see <see cref="EmotionModel.PreferredThreads"/>).</summary>
    public override int PreferredThreads => 0;

    public override Tensor forward(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        return dense.forward(Features(inputs).flat).MoveToOuterDisposeScope();
    }

    /// <summary>The flattened last ConvLSTM outputs (B x T·h·w·C, 4320 by default; + T·landmarks with features.landmarks):
    /// what the dense layer reads.</summary>
    public override Tensor forward_embedding(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        return Features(inputs).flat.MoveToOuterDisposeScope();
    }

    /// <summary>Logits and the last ConvLSTM layer's hidden states per frame before its pool ((B·T) x 16 x 5 x 5 for
    /// 64-pixel frames), aligned with each frame.</summary>
    public override (Tensor logits, IReadOnlyList<ActivationMaps> maps) forward_with_maps(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var (flat, maps, t) = Features(inputs);
        return (dense.forward(flat).MoveToOuterDisposeScope(),
            [new ActivationMaps($"convlstm{cells.Length}", InputKinds.Frames, maps.MoveToOuterDisposeScope(), t)]);
    }

    private (Tensor flat, Tensor lastMaps, long frames) Features(ModelInputs inputs)
    {
        var frames = inputs.Require(InputKinds.Frames, nameof(ConvLstm), 5,
            $"B x {Options.SequenceLength} x {Options.Channels} x {Options.FrameSize} x {Options.FrameSize}");
        if (frames.shape[1] != Options.SequenceLength)
            throw new ArgumentException($"ConvLstm was built for {Options.SequenceLength} frames (its Dense layer depends on it), got {frames.shape[1]}");
        var x = frames;
        var (b, t) = (frames.shape[0], frames.shape[1]);
        Tensor? last = null;
        for (var i = 0; i < cells.Length; i++)
        {
            var y = cells[i].forward(x).flatten(0, 1);                   // (B·T) x F x h x w
            if (norms[i] is { } bn) y = bn.forward(y);
            last = y;
            y = F.max_pool2d(y, 2, 2, ceil_mode: true);                   // MaxPool3D (1,2,2), padding='same'
            y = dropouts[i].forward(y);
            x = y.unflatten(0, [b, t]);
        }
        var flat = x.permute(0, 1, 3, 4, 2).flatten(2);                   // Keras flattens (T, H, W, C)
        if (Options.LandmarkCount > 0)
        {
            var lm = inputs.Require(InputKinds.Landmarks, nameof(ConvLstm), 3, $"B x {t} x {Options.LandmarkCount}");
            if (lm.shape[1] != t || lm.shape[2] != Options.LandmarkCount)
                throw new ArgumentException($"ConvLstm was built for {Options.LandmarkCount} landmark values per frame over {t} frames, got [{string.Join(", ", lm.shape)}]");
            flat = cat([flat, lm], 2);                                    // per frame: maps ++ landmarks, before the head
        }
        return (flat.flatten(1), last!, t);
    }

    internal static readonly ModelSpec Spec = new("conv_lstm",
        "ConvLSTM2D x 4 (4/8/14/16 filters) with MaxPool3D and dropout → Dense (Keras seed, 58,926 params with 6 classes)",
        typeof(ConvLstmOptions), InputKinds.Frames, ModelSpec.Factory<ConvLstmOptions>("conv_lstm", o => new ConvLstm(o)));
}

/// <summary>Options of <see cref="ConvLstm"/>; defaults are the published model. Variant: BatchNorm after each ConvLSTM.</summary>
public sealed class ConvLstmOptions
{
    public int NumClasses { get; set; } = 6;
    public int SequenceLength { get; set; } = 30;
    public int FrameSize { get; set; } = 64;
    public int Channels { get; set; } = 3;
    public int[] Filters { get; set; } = [4, 8, 14, 16];
    public double Dropout { get; set; } = 0.2;
    public double RecurrentDropout { get; set; } = 0.2;
    /// <summary>hard_sigmoid (Keras' ConvLSTM2D default) or sigmoid.</summary>
    public string RecurrentActivation { get; set; } = "hard_sigmoid";
    public bool BatchNorm { get; set; }
    /// <summary>Landmark values per frame joined to the flattened maps before Dense (272 = 68 x 2 coordinates + deltas);
    /// 0 = none. Training sets it from features.landmarks.</summary>
    public int LandmarkCount { get; set; }
}
