using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>LRCN (long-term recurrent convolutional network), the Keras seed for video action/emotion clips: a small CNN
/// applied to every frame (TimeDistributed), then an LSTM over time, then a dense classifier.
/// <code>
/// frames B x 30 x 3 x 64 x 64 ─ per frame: [Conv 16 3x3 same, ReLU, MaxPool 4, Dropout .25] [Conv 32, ReLU, MaxPool 4, Dropout .25]
///                                          [Conv 64, ReLU, MaxPool 2, Dropout .25] [Conv 64, ReLU, MaxPool 2] → flatten 64
///                             ─ LSTM(32) (last step) ─ Dense(classes)
/// </code>
/// Optional landmark input (features.landmarks): B x T x LandmarkCount, concatenated to each frame's CNN features
/// before the LSTM.
/// 73,126 parameters with 6 classes, Keras' count (one LSTM bias vector).</summary>
public sealed class Lrcn : EmotionModel
{
    private readonly Sequential cnn;
    private readonly KerasLstm lstm;
    private readonly Linear dense;

    public Lrcn(LrcnOptions options) : base(nameof(Lrcn), options.NumClasses)
    {
        Options = options;
        if (options.Filters.Length != options.Pools.Length || options.Dropouts.Length < options.Filters.Length - 1)
            throw new ArgumentException("Lrcn: Filters and Pools need one entry per conv stage and Dropouts one per stage but the last");
        cnn = nn.Sequential();
        long channels = options.Channels, size = options.FrameSize;
        for (var i = 0; i < options.Filters.Length; i++)
        {
            cnn.append(nn.Conv2d(channels, options.Filters[i], 3, padding: 1));          // Keras padding='same'
            if (options.BatchNorm) cnn.append(nn.BatchNorm2d(options.Filters[i], eps: 1e-3, momentum: 0.01)); // Keras' BN defaults
            cnn.append(nn.ReLU());
            cnn.append(nn.MaxPool2d(options.Pools[i], options.Pools[i]));
            if (i < options.Filters.Length - 1) cnn.append(new UniformMaskDropout(options.Dropouts[i]));
            channels = options.Filters[i];
            size /= options.Pools[i];
        }
        if (size < 1) throw new ArgumentException($"Lrcn: frames of {options.FrameSize} pixels vanish after pools {string.Join("/", options.Pools)}");
        this.RegisterModule("cnn", cnn);
        if (options.LandmarkCount < 0) throw new ArgumentException($"Lrcn: LandmarkCount must be 0 or positive, got {options.LandmarkCount}");
        lstm = this.RegisterModule("lstm", new KerasLstm(channels * size * size + options.LandmarkCount, options.LstmUnits));
        dense = this.RegisterModule("dense", nn.Linear(options.LstmUnits, options.NumClasses));
        KerasInit.Apply(this);
        if (options.ChannelsLast) this.ToChannelsLast();  // after initialisation: the same random draws as the NCHW model
    }

    public LrcnOptions Options { get; }

    public override InputKinds Inputs => Options.LandmarkCount > 0 ? InputKinds.Frames | InputKinds.Landmarks : InputKinds.Frames;

    /// <summary>Both cores pay for its convolutions (see <see cref="EmotionModel.PreferredThreads"/>).</summary>
    public override int PreferredThreads => 0;

    public override Tensor forward(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        return dense.forward(forward_embedding(inputs)).MoveToOuterDisposeScope();
    }

    /// <summary>The LSTM's last output B x LstmUnits: what the dense classifier reads.</summary>
    public override Tensor forward_embedding(ModelInputs inputs)
    {
        var frames = inputs.Require(InputKinds.Frames, nameof(Lrcn), 5, $"B x T x {Options.Channels} x {Options.FrameSize} x {Options.FrameSize}");
        using var scope = NewDisposeScope();
        var (b, t) = (frames.shape[0], frames.shape[1]);
        var flat = frames.flatten(0, 1);
        var perFrame = Options.ChannelsLast ? flat.ToChannelsLast() : flat;             // (B·T) x C' x h x w: TimeDistributed
        foreach (var stage in cnn.children()) perFrame = Stage(stage, perFrame);
        var sequence = perFrame.permute(0, 2, 3, 1).reshape(b, t, -1);   // Keras flattens channels-last (h, w, c)
        return lstm.forward(WithLandmarks(inputs, sequence, t)).MoveToOuterDisposeScope();
    }

    /// <summary>Logits and the per-frame CNN's last activations after its last ReLU, before the last pool
    /// ((B·T) x 64 x 4 x 4 for 64-pixel frames), aligned with each frame.</summary>
    public override (Tensor logits, IReadOnlyList<ActivationMaps> maps) forward_with_maps(ModelInputs inputs)
    {
        var frames = inputs.Require(InputKinds.Frames, nameof(Lrcn), 5, $"B x T x {Options.Channels} x {Options.FrameSize} x {Options.FrameSize}");
        using var scope = NewDisposeScope();
        var (b, t) = (frames.shape[0], frames.shape[1]);
        var flat = frames.flatten(0, 1);
        var stages = cnn.children().Cast<nn.Module<Tensor, Tensor>>().ToList();
        var lastRelu = stages.FindLastIndex(m => m is ReLU);
        var y = Options.ChannelsLast ? flat.ToChannelsLast() : flat;
        Tensor? maps = null;
        for (var i = 0; i < stages.Count; i++)
        {
            y = Stage(stages[i], y);
            if (i == lastRelu) maps = y;
        }
        var sequence = y.permute(0, 2, 3, 1).reshape(b, t, -1);
        var logits = dense.forward(lstm.forward(WithLandmarks(inputs, sequence, t)));
        return (logits.MoveToOuterDisposeScope(), [new ActivationMaps("cnn", InputKinds.Frames, maps!.MoveToOuterDisposeScope(), t)]);
    }

    /// <summary>One stage of the per-frame CNN. A convolution whose filter count (model.params filters) is not a multiple
    /// of 16 goes through <see cref="Conv.conv2d"/>: libtorch 2.10's oneDNN backward reads uninitialised channel padding
    /// there (ConvWorkaroundTests); the parameters stay the Conv2d module's, so state-dict keys and init are unchanged.</summary>
    private static Tensor Stage(nn.Module stage, Tensor x) => stage switch
    {
        Conv2d conv when conv.out_channels % Conv.Block != 0 => Conv.conv2d(x, conv.weight!, conv.bias, padding: [1, 1]),
        nn.Module<Tensor, Tensor> m => m.forward(x),
        _ => throw new InvalidOperationException($"Lrcn: unexpected stage {stage.GetType().Name}"),
    };

    /// <summary>Per frame: CNN features ++ landmarks, when the model takes them (features.landmarks).</summary>
    private Tensor WithLandmarks(ModelInputs inputs, Tensor sequence, long t)
    {
        if (Options.LandmarkCount <= 0) return sequence;
        var lm = inputs.Require(InputKinds.Landmarks, nameof(Lrcn), 3, $"B x T x {Options.LandmarkCount}");
        if (lm.shape[1] != t || lm.shape[2] != Options.LandmarkCount)
            throw new ArgumentException($"Lrcn was built for {Options.LandmarkCount} landmark values per frame over {t} frames, got [{string.Join(", ", lm.shape)}]");
        return cat([sequence, lm], 2);
    }

    internal static readonly ModelSpec Spec = new("lrcn",
        "LRCN: time-distributed 4-stage CNN per frame → LSTM(32) → Dense (Keras seed, 73,126 params with 6 classes)",
        typeof(LrcnOptions), InputKinds.Frames, ModelSpec.Factory<LrcnOptions>("lrcn", o => new Lrcn(o)));
}

/// <summary>Options of <see cref="Lrcn"/>; defaults are the published model. Published variant: BatchNorm = true,
/// LstmUnits = 64, Dropouts = [0.1, 0.2, 0.3].</summary>
public sealed class LrcnOptions
{
    public int NumClasses { get; set; } = 6;
    public int FrameSize { get; set; } = 64;
    public int Channels { get; set; } = 3;
    public int[] Filters { get; set; } = [16, 32, 64, 64];
    public int[] Pools { get; set; } = [4, 4, 2, 2];
    /// <summary>Dropout after each conv stage but the last.</summary>
    public double[] Dropouts { get; set; } = [0.25, 0.25, 0.25];
    public bool BatchNorm { get; set; }
    public int LstmUnits { get; set; } = 32;
    /// <summary>Compute the convolutions channels-last (NHWC weights and activations): the same model, values within
    /// convolution rounding, and a faster CPU step (bench/compare models). false: PyTorch's default NCHW.</summary>
    public bool ChannelsLast { get; set; } = true;
    /// <summary>Landmark values per frame concatenated to the CNN features (272 = 68 x 2 coordinates + deltas);
    /// 0 = none. Training sets it from features.landmarks.</summary>
    public int LandmarkCount { get; set; }
}
