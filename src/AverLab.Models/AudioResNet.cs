using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>ResNet18 on MFCC images (3 x 126 x 13) with the seed's dense head.
/// <code>
/// MFCC 3 x 126 x 13 ─ ResNet18 (torchvision layers) ─ 512 → fc: Linear(512,512) → BN → 2 x [Linear 512, ReLU, Dropout 0.3, BN] → Linear(classes)
/// </code></summary>
public sealed class AudioResNet : EmotionModel
{
    private readonly ResNetBackbone backbone;
    private readonly nn.Module<Tensor, Tensor> fc;

    public AudioResNet(AudioResNetOptions options) : base(nameof(AudioResNet), options.NumClasses)
    {
        Options = options;
        backbone = new ResNetBackbone(options.Depth, channelsLast: options.ChannelsLast);
        foreach (var (name, child) in backbone.named_children()) register_module(name, child);
        fc = this.RegisterModule("fc", DenseHead.Create(ResNetBackbone.FeatureSize, options.HiddenSize, options.DenseLayers, options.Dropout,
            options.NumClasses));
    }

    public AudioResNetOptions Options { get; }

    public override InputKinds Inputs => InputKinds.Audio;

    /// <summary>Both cores pay for its convolutions (see <see cref="EmotionModel.PreferredThreads"/>).</summary>
    public override int PreferredThreads => 0;

    /// <summary>Audio B x 3 x 126 x 13 (B x 1 x ... is replicated to 3 channels) → B x 512.</summary>
    public Tensor forward_features(Tensor audio)
    {
        if (audio.dim() != 4) throw new ArgumentException($"AudioResNet expects audio B x 3 x 126 x 13, got [{string.Join(", ", audio.shape)}]");
        return backbone.forward(audio);
    }

    public override Tensor forward(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var features = forward_features(inputs.Require(InputKinds.Audio, nameof(AudioResNet), 4, "B x 3 x 126 x 13"));
        return fc.forward(features).MoveToOuterDisposeScope();
    }

    /// <summary>The 512 backbone features the head reads.</summary>
    public override Tensor forward_embedding(ModelInputs inputs) =>
        forward_features(inputs.Require(InputKinds.Audio, nameof(AudioResNet), 4, "B x 3 x 126 x 13"));

    /// <summary>Logits and layer4's maps (B x 512 x ⌈H/32⌉ x ⌈W/32⌉: 4 x 1 for a 126 x 13 MFCC image), aligned with the audio input.</summary>
    public override (Tensor logits, IReadOnlyList<ActivationMaps> maps) forward_with_maps(ModelInputs inputs)
    {
        var audio = inputs.Require(InputKinds.Audio, nameof(AudioResNet), 4, "B x 3 x 126 x 13");
        using var scope = NewDisposeScope();
        var maps = backbone.forward_maps(audio);
        var logits = fc.forward(maps.mean([2L, 3L]));
        return (logits.MoveToOuterDisposeScope(), [new ActivationMaps("layer4", InputKinds.Audio, maps.MoveToOuterDisposeScope(), 1)]);
    }

    /// <summary>Loads backbone weights (a ResNet18 checkpoint; "fc.*" ignored).</summary>
    public void LoadBackbone(string path) => CheckpointLoading.LoadInto(backbone, path, "", skipPrefix: "fc.");

    internal ResNetBackbone Backbone => backbone;

    internal static readonly ModelSpec Spec = new("audio_resnet",
        "ResNet18 on MFCC (3 x 126 x 13) with a Linear/BN dense head",
        typeof(AudioResNetOptions), InputKinds.Audio, ModelSpec.Factory<AudioResNetOptions>("audio_resnet", o => new AudioResNet(o)));
}

/// <summary>Options of <see cref="AudioResNet"/>; defaults are the seed's architecture.</summary>
public sealed class AudioResNetOptions
{
    public int NumClasses { get; set; } = 8;
    /// <summary>18 or 34.</summary>
    public int Depth { get; set; } = 18;
    /// <summary>n in Linear(512, hidden) → BN → (n−1) x [Linear, ReLU, Dropout, BN] → Linear(classes).</summary>
    public int DenseLayers { get; set; } = 3;
    public int HiddenSize { get; set; } = 512;
    public double Dropout { get; set; } = 0.3;
    /// <summary>Compute the convolutions channels-last (NHWC weights and activations): the same model, values within
    /// convolution rounding, and a faster CPU step (bench/RESULTS.md, "Convolutions"). false: PyTorch's default NCHW.</summary>
    public bool ChannelsLast { get; set; } = true;
}
