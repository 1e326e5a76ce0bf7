using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>Base of every model in the zoo: a module from <see cref="ModelInputs"/> to logits B x <see cref="NumClasses"/>
/// (no softmax: train with cross-entropy, apply softmax for probabilities).</summary>
public abstract class EmotionModel : torch.nn.Module<ModelInputs, Tensor>
{
    protected EmotionModel(string name, int numClasses) : base(name)
    {
        if (numClasses < 2) throw new ArgumentException($"{GetType().Name}: NumClasses must be at least 2, got {numClasses}");
        NumClasses = numClasses;
    }

    /// <summary>The inputs this model reads.</summary>
    public abstract InputKinds Inputs { get; }

    /// <summary>Number of output classes (the width of the logits).</summary>
    public int NumClasses { get; }

    /// <summary>Intra-op threads this model trains fastest with on a small CPU; 0 = every logical core
    /// (Environment.ProcessorCount). Small models lose more to splitting ops than they gain, so one unless a model
    /// says otherwise (the measurements: bench/RESULTS.md, "Threads per model").</summary>
    public virtual int PreferredThreads => 1;

    /// <summary>The state dict in PyTorch's order (see <see cref="StateDicts.PyTorchOrdered"/>): the same keys and
    /// tensors as TorchSharp's, ordered as the PyTorch model's, so checkpoints list their entries as PyTorch does.</summary>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        var ordered = StateDicts.PyTorchOrdered(this, base.state_dict());
        if (destination is null && string.IsNullOrEmpty(prefix)) return ordered;
        destination ??= new Dictionary<string, Tensor>();
        foreach (var (key, t) in ordered) destination.TryAdd(string.IsNullOrEmpty(prefix) ? key : $"{prefix}.{key}", t);
        return destination;
    }

    /// <summary>Models register every component explicitly under its PyTorch name; TorchSharp's reflection-based
    /// registration (run when a module becomes another's child) would add the C# field names as second keys.</summary>
    protected override void RegisterComponents() { }

    /// <summary>The penultimate-layer embedding B x E of each item: the features the classifier head reads (a 2-D
    /// t-SNE of the test split draws these). Every model of the zoo has one; the default refuses.</summary>
    public virtual Tensor forward_embedding(ModelInputs inputs) =>
        throw new NotSupportedException($"{GetType().Name} does not expose an embedding (override forward_embedding)");

    /// <summary>The logits together with the activations of the model's last convolutional stage(s), each aligned with
    /// an input (Grad-CAM reads them). A model without convolutions returns an empty list; so does the default.</summary>
    public virtual (Tensor logits, IReadOnlyList<ActivationMaps> maps) forward_with_maps(ModelInputs inputs) => (forward(inputs), []);

    /// <summary>Total number of parameter elements (Keras' and torchinfo's "total params").</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
