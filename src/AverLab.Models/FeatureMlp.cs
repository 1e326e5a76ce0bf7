using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>MLP on hand-crafted features (MFCC/chroma/mel statistics), standardized with the training set's mean and
/// standard deviation and optionally projected onto its first principal components; both are buffers, so they travel
/// with the checkpoint. Call <see cref="FitPreprocessing"/> on the training features before training.
/// <code>
/// features B x F → (x − mean) / std → [PCA: (x) · componentsᵀ → k] → hidden: [Linear, ReLU, Dropout] per width → Linear(classes)
/// </code></summary>
public sealed class FeatureMlp : EmotionModel
{
    // Field names as registered: TorchSharp's Module.to(device or dtype) re-registers a moved tensor under its field's
    // component name, so a field named otherwise would become a second state-dict entry.
    [ComponentName(Name = "feature_mean")] private readonly Tensor featureMean;
    [ComponentName(Name = "feature_std")] private readonly Tensor featureStd;
    [ComponentName(Name = "pca_components")] private readonly Tensor? pcaComponents;
    private readonly Sequential mlp;

    public FeatureMlp(FeatureMlpOptions options) : base(nameof(FeatureMlp), options.NumClasses)
    {
        Options = options;
        if (options.InputSize < 1) throw new ArgumentException($"FeatureMlp: InputSize must be positive, got {options.InputSize}");
        if (options.PcaComponents < 0 || options.PcaComponents > options.InputSize)
            throw new ArgumentException($"FeatureMlp: PcaComponents must be in [0, InputSize={options.InputSize}], got {options.PcaComponents}");
        featureMean = this.RegisterBuffer("feature_mean", zeros(options.InputSize));
        featureStd = this.RegisterBuffer("feature_std", ones(options.InputSize));
        if (options.PcaComponents > 0)
            using (var eye = torch.eye(options.InputSize))
                pcaComponents = this.RegisterBuffer("pca_components", eye.narrow(0, 0, options.PcaComponents).clone());
        mlp = nn.Sequential();
        long width = options.PcaComponents > 0 ? options.PcaComponents : options.InputSize;
        foreach (var hidden in options.HiddenSizes)
        {
            mlp.append(nn.Linear(width, hidden));
            mlp.append(nn.ReLU());
            mlp.append(new UniformMaskDropout(options.Dropout));
            width = hidden;
        }
        mlp.append(nn.Linear(width, options.NumClasses));
        this.RegisterModule("mlp", mlp);
    }

    public FeatureMlpOptions Options { get; }

    public override InputKinds Inputs => InputKinds.Features;

    /// <summary>Sets the standardization (and PCA, when enabled) from training features N x F (float32).</summary>
    public void FitPreprocessing(Tensor features)
    {
        if (features.dim() != 2 || features.shape[1] != Options.InputSize)
            throw new ArgumentException($"FeatureMlp.FitPreprocessing expects N x {Options.InputSize} features, got [{string.Join(", ", features.shape)}]");
        if (features.shape[0] < 2) throw new ArgumentException("FeatureMlp.FitPreprocessing needs at least 2 samples");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = features.to(ScalarType.Float64);
        var mean = x.mean([0L]);
        var std = x.std(0).clamp_min(1e-8);                               // constant features stay finite
        featureMean.copy_(mean);
        featureStd.copy_(std);
        if (pcaComponents is null) return;
        var z = (x - mean) / std;
        var cov = z.t().matmul(z).div_(features.shape[0] - 1);
        var n = (int)Options.InputSize;
        var (values, vectors) = SymmetricEigen.Decompose(cov.contiguous().data<double>().ToArray(), n);
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).Take(Options.PcaComponents).ToArray();
        var comps = new double[order.Length * n];
        for (var r = 0; r < order.Length; r++)
            for (var c = 0; c < n; c++) comps[r * n + c] = vectors[c * n + order[r]];
        pcaComponents.copy_(tensor(comps, [order.Length, n]));
    }

    public override Tensor forward(ModelInputs inputs)
    {
        var features = inputs.Require(InputKinds.Features, nameof(FeatureMlp), 2, $"B x {Options.InputSize}");
        if (features.shape[1] != Options.InputSize)
            throw new ArgumentException($"FeatureMlp was built for {Options.InputSize} features, got {features.shape[1]}");
        using var scope = NewDisposeScope();
        return mlp.forward(Preprocess(features)).MoveToOuterDisposeScope();
    }

    private Tensor Preprocess(Tensor features)
    {
        var x = (features - featureMean) / featureStd;
        return pcaComponents is null ? x : x.matmul(pcaComponents.t());
    }

    /// <summary>The last hidden layer's activations (after its ReLU and dropout), the input of the output Linear; the
    /// standardized (or PCA) features when the MLP has no hidden layer.</summary>
    public override Tensor forward_embedding(ModelInputs inputs)
    {
        var features = inputs.Require(InputKinds.Features, nameof(FeatureMlp), 2, $"B x {Options.InputSize}");
        using var scope = NewDisposeScope();
        var x = Preprocess(features);
        var layers = mlp.children().Cast<nn.Module<Tensor, Tensor>>().ToList();
        for (var i = 0; i < layers.Count - 1; i++) x = layers[i].forward(x);
        return x.MoveToOuterDisposeScope();
    }

    internal static readonly ModelSpec Spec = new("feature_mlp",
        "MLP on standardized hand-crafted features, optional PCA",
        typeof(FeatureMlpOptions), InputKinds.Features, ModelSpec.Factory<FeatureMlpOptions>("feature_mlp", o => new FeatureMlp(o)));
}

/// <summary>Options of <see cref="FeatureMlp"/>.</summary>
public sealed class FeatureMlpOptions
{
    public int NumClasses { get; set; } = 8;
    /// <summary>Feature width (180 = 40 MFCC + 12 chroma + 128 mel means).</summary>
    public int InputSize { get; set; } = 180;
    public int[] HiddenSizes { get; set; } = [256, 128];
    public double Dropout { get; set; } = 0.3;
    /// <summary>0 = no PCA; otherwise the number of principal components kept.</summary>
    public int PcaComponents { get; set; }
}
