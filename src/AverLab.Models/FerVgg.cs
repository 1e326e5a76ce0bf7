using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>A VGG-style network for FER2013's 48x48 grayscale faces, after Khaireddin &amp; Chen (2021, "Facial Emotion
/// Recognition: State of the Art Performance on FER2013", arXiv:2105.03588), narrowed to train on a CPU:
/// <code>
/// image B x 1 x 48 x 48 → per stage s: ConvsPerStage x [Conv3x3(c_s), BN, ReLU] → MaxPool 2 → (48 → 24 → 12 → 6 → 3)
///   → flatten (c_last x 3 x 3) → Dropout → Linear(hidden) → ReLU → Dropout → Linear(classes)
/// </code>
/// State-dict keys: features.{i}.* (Conv2d, BatchNorm2d in order, as torchvision's VGG), classifier.{1,4}.*.</summary>
public sealed class FerVgg : EmotionModel
{
    private readonly Sequential features, classifier;
    private readonly int lastConvIndex;

    public FerVgg(FerVggOptions options) : base(nameof(FerVgg), options.NumClasses)
    {
        Options = options;
        if (options.Channels.Length == 0) throw new ArgumentException("FerVgg: Channels must name at least one stage");
        if (options.ImageSize >> options.Channels.Length < 1)
            throw new ArgumentException($"FerVgg: {options.Channels.Length} pooling stages do not fit a {options.ImageSize}-pixel image");
        features = nn.Sequential();
        long inChannels = options.InChannels;
        var index = 0;
        foreach (var c in options.Channels)
        {
            for (var k = 0; k < options.ConvsPerStage; k++)
            {
                features.append(index++.ToString(), nn.Conv2d(inChannels, c, 3, padding: 1, bias: false));
                features.append(index++.ToString(), nn.BatchNorm2d(c));
                features.append(index++.ToString(), nn.ReLU(inplace: true));
                inChannels = c;
            }
            lastConvIndex = index - 1;
            features.append(index++.ToString(), nn.MaxPool2d(2));
        }
        var side = options.ImageSize >> options.Channels.Length;
        EmbeddingSize = inChannels * side * side;
        classifier = nn.Sequential(
            ("0", new UniformMaskDropout(options.Dropout)),
            ("1", nn.Linear(EmbeddingSize, options.HiddenSize)),
            ("2", nn.ReLU(inplace: true)),
            ("3", new UniformMaskDropout(options.Dropout)),
            ("4", nn.Linear(options.HiddenSize, options.NumClasses)));
        this.RegisterModule("features", features);
        this.RegisterModule("classifier", classifier);
        if (options.ChannelsLast) this.ToChannelsLast(); // after initialisation: the same random draws as NCHW
    }

    public FerVggOptions Options { get; }

    /// <summary>Width of the flattened last stage (the classifier's input).</summary>
    public long EmbeddingSize { get; }

    public override int PreferredThreads => 0;

    public override InputKinds Inputs => InputKinds.Image;

    private Tensor Image(ModelInputs inputs)
    {
        var image = inputs.Require(InputKinds.Image, nameof(FerVgg), 4, $"B x {Options.InChannels} x {Options.ImageSize} x {Options.ImageSize}");
        if (image.shape[1] != Options.InChannels || image.shape[2] != Options.ImageSize || image.shape[3] != Options.ImageSize)
            throw new ArgumentException($"FerVgg was built for {Options.InChannels} x {Options.ImageSize} x {Options.ImageSize} images, got [{string.Join(", ", image.shape)}]");
        return Options.ChannelsLast ? image.ToChannelsLast() : image;
    }

    public override Tensor forward(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var image = Image(inputs);
        if (training || !Options.FlipAverage)
            return classifier.forward(features.forward(image).flatten(1)).MoveToOuterDisposeScope();
        // Test-time augmentation: the log of the mean of the image's and its mirror's class probabilities, so that
        // softmax of the output is that mean; one forward over both halves.
        var n = image.shape[0];
        var logProbs = classifier.forward(features.forward(cat([image, image.flip(3)], 0)).flatten(1)).log_softmax(1);
        return (stack([logProbs.narrow(0, 0, n), logProbs.narrow(0, n, n)]).logsumexp(0) - Math.Log(2)).MoveToOuterDisposeScope();
    }

    /// <summary>The hidden layer's activations (after its ReLU): the output Linear's input.</summary>
    public override Tensor forward_embedding(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var x = features.forward(Image(inputs)).flatten(1);
        var layers = classifier.children().Cast<nn.Module<Tensor, Tensor>>().ToList();
        for (var i = 0; i < 3; i++) x = layers[i].forward(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Logits and the last convolutional stage's activations before its pooling (B x c x 6 x 6 on 48x48).</summary>
    public override (Tensor logits, IReadOnlyList<ActivationMaps> maps) forward_with_maps(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var x = Image(inputs);
        Tensor? maps = null;
        var i = 0;
        foreach (var layer in features.children().Cast<nn.Module<Tensor, Tensor>>())
        {
            x = layer.forward(x);
            if (i++ == lastConvIndex) maps = x;
        }
        var logits = classifier.forward(x.flatten(1));
        return (logits.MoveToOuterDisposeScope(), [new ActivationMaps("features", InputKinds.Image, maps!.MoveToOuterDisposeScope(), 1)]);
    }

    internal static readonly ModelSpec Spec = new("fer_vgg",
        "VGG-style CNN for 48x48 grayscale faces (FER2013), BN, max-pooling stages, dropout MLP head",
        typeof(FerVggOptions), InputKinds.Image, ModelSpec.Factory<FerVggOptions>("fer_vgg", o => new FerVgg(o)));
}

/// <summary>Options of <see cref="FerVgg"/>.</summary>
public sealed class FerVggOptions
{
    public int NumClasses { get; set; } = 7;
    /// <summary>Input channels (1: grayscale).</summary>
    public int InChannels { get; set; } = 1;
    /// <summary>Side of the square input image (pixels); each stage halves it.</summary>
    public int ImageSize { get; set; } = 48;
    /// <summary>Output channels of each stage's convolutions.</summary>
    public int[] Channels { get; set; } = [32, 64, 128, 256];
    /// <summary>3x3 convolutions (each with BN and ReLU) per stage.</summary>
    public int ConvsPerStage { get; set; } = 2;
    /// <summary>Width of the classifier's hidden layer.</summary>
    public int HiddenSize { get; set; } = 256;
    public double Dropout { get; set; } = 0.4;
    /// <summary>Compute the convolutions channels-last (faster on CPU; same model).</summary>
    public bool ChannelsLast { get; set; } = true;
    /// <summary>In eval mode (validation, test, predict), average the class probabilities of the face and its mirror
    /// image (test-time augmentation); training steps are unchanged.</summary>
    public bool FlipAverage { get; set; }
}
