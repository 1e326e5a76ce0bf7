using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>Audio-visual transformer on pooled statistics (the PyTorch seed): 552 values per clip (40 MFCC means +
/// 512 ResNet18 frame features mean-pooled), projected, encoded by a 2-layer transformer, classified.
/// <code>
/// features B x 552 → input_proj Linear(552, d) → LayerNorm → ReLU → Dropout → (B, 1, d)
///   → encoder: 2 x TransformerEncoderLayer(d, 4 heads, ff 512) → head: Linear(d, d) → ReLU → Dropout → Linear(8)
/// </code></summary>
public sealed class AvTransformer : EmotionModel
{
    private readonly Linear inputProj;
    private readonly LayerNorm inputNorm;
    private readonly UniformMaskDropout inputDropout;
    private readonly TransformerEncoder encoder;
    private readonly Sequential head;

    public AvTransformer(AvTransformerOptions options) : base(nameof(AvTransformer), options.NumClasses)
    {
        Options = options;
        if (options.DModel % options.Heads != 0)
            throw new ArgumentException($"AvTransformer: DModel ({options.DModel}) must be divisible by Heads ({options.Heads})");
        inputProj = this.RegisterModule("input_proj", nn.Linear(options.InputSize, options.DModel));
        inputNorm = this.RegisterModule("input_norm", nn.LayerNorm(options.DModel));
        inputDropout = this.RegisterModule("input_dropout", new UniformMaskDropout(options.Dropout));
        encoder = this.RegisterModule("encoder", nn.TransformerEncoder(
            nn.TransformerEncoderLayer(options.DModel, options.Heads, options.FeedForward, options.Dropout, nn.Activations.ReLU), options.Layers));
        head = this.RegisterModule("head", nn.Sequential(
            nn.Linear(options.DModel, options.HeadHidden), nn.ReLU(), new UniformMaskDropout(options.Dropout),
            nn.Linear(options.HeadHidden, options.NumClasses)));
    }

    public AvTransformerOptions Options { get; }

    public override InputKinds Inputs => InputKinds.Features;

    /// <summary>Features B x 552 → the encoded token B x d.</summary>
    public Tensor forward_features(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = inputDropout.forward(inputNorm.forward(inputProj.forward(features)).relu_());
        return encoder.call(x.unsqueeze(0)).squeeze(0).MoveToOuterDisposeScope();   // one token per clip (1 x B x d, time first)
    }

    public override Tensor forward(ModelInputs inputs)
    {
        var features = inputs.Require(InputKinds.Features, nameof(AvTransformer), 2, $"B x {Options.InputSize}");
        if (features.shape[1] != Options.InputSize)
            throw new ArgumentException($"AvTransformer was built for {Options.InputSize} features, got {features.shape[1]}");
        using var scope = NewDisposeScope();
        return head.forward(forward_features(features)).MoveToOuterDisposeScope();
    }

    /// <summary>The encoded token B x DModel the head reads.</summary>
    public override Tensor forward_embedding(ModelInputs inputs) =>
        forward_features(inputs.Require(InputKinds.Features, nameof(AvTransformer), 2, $"B x {Options.InputSize}"));

    internal static readonly ModelSpec Spec = new("av_transformer",
        "552 AV statistics (40 MFCC means + 512 ResNet18 features) → Linear/LayerNorm → 2-layer transformer → MLP head",
        typeof(AvTransformerOptions), InputKinds.Features, ModelSpec.Factory<AvTransformerOptions>("av_transformer", o => new AvTransformer(o)));
}

/// <summary>Options of <see cref="AvTransformer"/>.</summary>
public sealed class AvTransformerOptions
{
    public int NumClasses { get; set; } = 8;
    /// <summary>40 MFCC means + 512 ResNet18 features.</summary>
    public int InputSize { get; set; } = 552;
    public int DModel { get; set; } = 128;
    public int Heads { get; set; } = 4;
    public int FeedForward { get; set; } = 512;
    public int Layers { get; set; } = 2;
    public int HeadHidden { get; set; } = 64;
    public double Dropout { get; set; } = 0.1;
}
