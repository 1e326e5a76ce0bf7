using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>ResNet18/34 face classifier on 64x64 crops (grayscale replicated to 3 channels), with torchvision's layers
/// and state-dict keys (conv1, bn1, layer1..4, fc), so torchvision ImageNet weights converted to safetensors load
/// into the backbone (<see cref="LoadBackbone"/>). Optional landmark branch: the flattened landmarks are
/// concatenated to the 512 image features before the dense head.
/// <code>
/// image ─ ResNet (conv1 → bn1 → relu → maxpool → layer1..4 → avgpool) ─ 512 ┐
/// landmarks (optional, 1404 or 136) ──────────────────────────────────────┴ concat → fc: [Linear, BN, (n−1) x (Linear, ReLU, Dropout, BN)] → classes
/// </code></summary>
public sealed class FaceResNet : EmotionModel
{
    private readonly ResNetBackbone backbone;
    private readonly nn.Module<Tensor, Tensor> fc;
    private readonly int landmarkCount;

    public FaceResNet(FaceResNetOptions options) : base(nameof(FaceResNet), options.NumClasses)
    {
        Options = options;
        landmarkCount = options.LandmarkCount;
        if (landmarkCount < 0) throw new ArgumentException($"FaceResNet: LandmarkCount must be 0 (no landmark branch) or positive, got {landmarkCount}");
        backbone = new ResNetBackbone(options.Depth, channelsLast: options.ChannelsLast);
        // The backbone's children sit at this model's top level: torchvision's key names, no "backbone." prefix.
        foreach (var (name, child) in backbone.named_children()) register_module(name, child);
        fc = this.RegisterModule("fc", DenseHead.Create(ResNetBackbone.FeatureSize + landmarkCount, options.HiddenSize, options.DenseLayers,
            options.Dropout, options.NumClasses));
    }

    public FaceResNetOptions Options { get; }

    /// <summary>Large convolutions at batch 64: every core (bench/RESULTS.md, "Threads per model").</summary>
    public override int PreferredThreads => 0;

    public override InputKinds Inputs => landmarkCount > 0 ? InputKinds.Image | InputKinds.Landmarks : InputKinds.Image;

    /// <summary>Image B x 3 x H x W (B x 1 x H x W is replicated to 3 channels) → B x 512.</summary>
    public Tensor forward_features(Tensor image)
    {
        if (image.dim() != 4) throw new ArgumentException($"FaceResNet expects an image B x C x H x W, got [{string.Join(", ", image.shape)}]");
        return backbone.forward(image);
    }

    public override Tensor forward(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var features = forward_features(inputs.Require(InputKinds.Image, nameof(FaceResNet), 4, "B x 3 x 64 x 64"));
        if (landmarkCount > 0)
        {
            var lm = inputs.Require(InputKinds.Landmarks, nameof(FaceResNet), 2, $"B x {landmarkCount}");
            if (lm.shape[1] != landmarkCount)
                throw new ArgumentException($"FaceResNet was built for {landmarkCount} landmark values, got {lm.shape[1]}");
            features = cat([features, lm], 1);
        }
        return fc.forward(features).MoveToOuterDisposeScope();
    }

    /// <summary>The 512 backbone features (with the landmarks concatenated, when the model has the branch): the head's input.</summary>
    public override Tensor forward_embedding(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var features = forward_features(inputs.Require(InputKinds.Image, nameof(FaceResNet), 4, "B x 3 x 64 x 64"));
        if (landmarkCount > 0) features = cat([features, inputs.Require(InputKinds.Landmarks, nameof(FaceResNet), 2, $"B x {landmarkCount}")], 1);
        return features.MoveToOuterDisposeScope();
    }

    /// <summary>Logits and layer4's maps (B x 512 x h x w), aligned with the image; landmarks, when the model reads
    /// them, join the pooled features as in <see cref="forward"/>.</summary>
    public override (Tensor logits, IReadOnlyList<ActivationMaps> maps) forward_with_maps(ModelInputs inputs)
    {
        var image = inputs.Require(InputKinds.Image, nameof(FaceResNet), 4, "B x 3 x 64 x 64");
        using var scope = NewDisposeScope();
        var maps = backbone.forward_maps(image);
        var features = maps.mean([2L, 3L]);
        if (landmarkCount > 0) features = cat([features, inputs.Require(InputKinds.Landmarks, nameof(FaceResNet), 2, $"B x {landmarkCount}")], 1);
        var logits = fc.forward(features);
        return (logits.MoveToOuterDisposeScope(), [new ActivationMaps("layer4", InputKinds.Image, maps.MoveToOuterDisposeScope(), 1)]);
    }

    /// <summary>Loads backbone weights from a safetensors state dict (e.g. torchvision's ImageNet resnet18 converted
    /// with scripts/convert_pth_to_safetensors.py); the checkpoint's "fc.*" entries are ignored, everything else must match.</summary>
    public void LoadBackbone(string path) => CheckpointLoading.LoadInto(backbone, path, "", skipPrefix: "fc.");

    internal ResNetBackbone Backbone => backbone;

    /// <summary>Logits and the last stage's feature maps of an image batch (no landmark branch), for Grad-CAM.</summary>
    public (Tensor logits, Tensor maps) forward_with_maps(Tensor image)
    {
        if (landmarkCount > 0) throw new NotSupportedException("Grad-CAM maps are available for FaceResNet without a landmark branch");
        using var scope = NewDisposeScope();
        var maps = backbone.forward_maps(image);
        var logits = fc.forward(maps.mean([2L, 3L]));
        return (logits.MoveToOuterDisposeScope(), maps.MoveToOuterDisposeScope());
    }

    internal static readonly ModelSpec Spec = new("face_resnet",
        "ResNet18/34 (torchvision layers) on 64x64 face crops, optional landmark branch, dense head",
        typeof(FaceResNetOptions), InputKinds.Image, ModelSpec.Factory<FaceResNetOptions>("face_resnet", o => new FaceResNet(o)));
}

/// <summary>Options of <see cref="FaceResNet"/>; the defaults are torchvision's ResNet18 with its fc replaced.</summary>
public sealed class FaceResNetOptions
{
    public int NumClasses { get; set; } = 7;
    /// <summary>18 or 34.</summary>
    public int Depth { get; set; } = 18;
    /// <summary>0 = no landmark branch; 1404 (468 x 3 MediaPipe) or 136 (68 x 2 dlib). Training sets it from
    /// features.landmarks.</summary>
    public int LandmarkCount { get; set; }
    /// <summary>Dense layers n in [Linear, BN, (n−1) x (Linear, ReLU, Dropout, BN)]; 0 = a single Linear (torchvision's fc).</summary>
    public int DenseLayers { get; set; }
    public int HiddenSize { get; set; } = 512;
    public double Dropout { get; set; } = 0.3;
    /// <summary>Compute the convolutions channels-last (NHWC weights and activations): the same model, values within
    /// convolution rounding, and a faster CPU step (bench/compare models). false: PyTorch's default NCHW.</summary>
    public bool ChannelsLast { get; set; } = true;
}
