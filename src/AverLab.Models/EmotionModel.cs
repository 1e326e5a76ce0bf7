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
    /// (Environment.ProcessorCount). The policy was measured with the earlier in-house engine (`bench/compare models`,
    /// quiet 2-vCPU machine, ms per step, 2 threads vs 1): the small models were faster single-threaded (audio
    /// CNN+Transformer, AV transformer, feature MLP), the convolutional and recurrent video/ResNet models use both cores
    /// (LRCN 190 vs 308, ConvLSTM 1,495 vs 1,654, audio ResNet 153 vs 250, fusion 389 vs 712, ResNet34 593 vs 1,200);
    /// quickstart epochs of the audio CNN+Transformer were slower on two threads with data loading beside them.
    /// Re-measured on TorchSharp (libtorch 2.10, MKL on its fast branch), the audio CNN+Transformer now uses both: bare
    /// step 255 ms on two threads vs 359 ms on one (`bench/compare models`, its matched and .defaults lines, one run),
    /// and the quickstart's 40 epochs train in 248 s vs 303 s with data loading beside them (`bash scripts/run-main.sh`
    /// with `--set training.threads=2`, then 0 under the old policy). The AV transformer and feature MLP stay on one
    /// (same run: 2.66 vs 3.33 ms, 0.32 vs 0.47 ms).</summary>
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
