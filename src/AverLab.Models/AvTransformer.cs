using AverLab.Torch;
using static AverLab.Torch.torch;

namespace AverLab.Models;

/// <summary>Audio-visual transformer on pooled statistics (the PyTorch seed): 552 values per clip (40 MFCC means +
/// 512 ResNet18 frame features mean-pooled), projected, encoded by a 2-layer transformer, classified.
/// <code>
/// features B x 552 → input_proj Linear(552, d) → LayerNorm → ReLU → Dropout → (B, 1, d)
///   → encoder: 2 x TransformerEncoderLayer(d, 4 heads, ff 512) → head: Linear(d, d) → ReLU → Dropout → Linear(8)
/// </code></summary>
public sealed class AvTransformer : EmotionModel
{
    private readonly nn.Linear inputProj;
    private readonly nn.LayerNorm inputNorm;
    private readonly nn.Dropout inputDropout;
    private readonly nn.TransformerEncoder encoder;
    private readonly nn.Sequential head;

    public AvTransformer(AvTransformerOptions options) : base(options.NumClasses)
    {
        Options = options;
        if (options.DModel % options.Heads != 0)
            throw new ArgumentException($"AvTransformer: DModel ({options.DModel}) must be divisible by Heads ({options.Heads})");
        inputProj = RegisterModule("input_proj", new nn.Linear(options.InputSize, options.DModel));
        inputNorm = RegisterModule("input_norm", new nn.LayerNorm(options.DModel));
        inputDropout = RegisterModule("input_dropout", new nn.Dropout(options.Dropout));
        encoder = RegisterModule("encoder", new nn.TransformerEncoder(
            new nn.TransformerEncoderLayer(options.DModel, options.Heads, options.FeedForward, options.Dropout, batch_first: true), options.Layers));
        head = RegisterModule("head", new nn.Sequential(
            new nn.Linear(options.DModel, options.HeadHidden), new nn.ReLU(), new nn.Dropout(options.Dropout),
            new nn.Linear(options.HeadHidden, options.NumClasses)));
    }

    public AvTransformerOptions Options { get; }

    public override InputKinds Inputs => InputKinds.Features;

    /// <summary>Features B x 552 → the encoded token B x d.</summary>
    public Tensor forward_features(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = inputDropout.forward(inputNorm.forward(inputProj.forward(features)).relu_());
        return encoder.forward(x.unsqueeze(1)).squeeze(1).MoveToOuterDisposeScope();   // one token per clip
    }

    public override Tensor forward(ModelInputs inputs)
    {
        var features = inputs.Require(InputKinds.Features, nameof(AvTransformer), 2, $"B x {Options.InputSize}");
        if (features.shape[1] != Options.InputSize)
            throw new ArgumentException($"AvTransformer was built for {Options.InputSize} features, got {features.shape[1]}");
        using var scope = NewDisposeScope();
        return head.forward(forward_features(features)).MoveToOuterDisposeScope();
    }

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
