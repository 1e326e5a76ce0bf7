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

    /// <summary>Intra-op threads this model trains fastest with on a small CPU; 0 = every logical core
    /// (Environment.ProcessorCount; libtorch's own default may be fewer: 1 on the 2-vCPU bench machine). Measured by
    /// `bench/compare models` on 2 vCPUs shared with other work: one thread was faster for every model but ResNet34 at
    /// batch 64 (audio CNN+Transformer 514 vs 635 ms a step, LRCN 340 vs 600, audio ResNet18 on 126x13 MFCC 325 vs
    /// 1,188), while two threads nearly halved ResNet34's step (674 vs 1,207 ms); see <see cref="FaceResNet"/>.</summary>
    public virtual int PreferredThreads => 1;

    /// <summary>Total number of parameter elements (Keras' and torchinfo's "total params").</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
