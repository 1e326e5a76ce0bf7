using AverLab.Torch;

namespace AverLab.Models;

/// <summary>Base of every model in the zoo: a module from <see cref="ModelInputs"/> to logits B x <see cref="NumClasses"/>
/// (no softmax: train with cross-entropy, apply softmax for probabilities).</summary>
public abstract class EmotionModel : torch.nn.Module<ModelInputs, Tensor>
{
    protected EmotionModel(int numClasses)
    {
        if (numClasses < 2) throw new ArgumentException($"{GetType().Name}: NumClasses must be at least 2, got {numClasses}");
        NumClasses = numClasses;
    }

    /// <summary>The inputs this model reads.</summary>
    public abstract InputKinds Inputs { get; }

    /// <summary>Number of output classes (the width of the logits).</summary>
    public int NumClasses { get; }

    /// <summary>Intra-op threads this model trains fastest with on a small CPU; 0 = leave libtorch's default. Small models
    /// lose more to thread synchronisation than they gain: `bench/compare models` measured one thread faster than two
    /// for the audio CNN+Transformer, the AV transformer and the feature MLP (see the bench note).</summary>
    public virtual int PreferredThreads => 0;

    /// <summary>Total number of parameter elements (Keras' and torchinfo's "total params").</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
