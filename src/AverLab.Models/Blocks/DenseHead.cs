using AverLab.Torch;
using static AverLab.Torch.torch;

namespace AverLab.Models;

/// <summary>The seeds' classifier head: Linear(in, hidden) → BN, then (layers − 1) x [Linear(hidden, hidden) → ReLU →
/// Dropout → BN], then Linear(hidden, classes). With layers = 0 it is a single Linear(in, classes), torchvision's fc.
/// Children are numbered as in nn.Sequential, so keys are "fc.0.weight", "fc.1.running_mean", ...</summary>
public static class DenseHead
{
    public static nn.Module<Tensor, Tensor> Create(long inFeatures, long hidden, int layers, double dropout, long classes)
    {
        if (layers < 0) throw new ArgumentException($"the number of dense layers must be at least 0, got {layers}");
        if (layers == 0) return new nn.Linear(inFeatures, classes);
        var seq = new nn.Sequential(new nn.Linear(inFeatures, hidden), new nn.BatchNorm1d(hidden));
        for (var i = 1; i < layers; i++)
        {
            seq.append(new nn.Linear(hidden, hidden));
            seq.append(new nn.ReLU());
            seq.append(new nn.Dropout(dropout));
            seq.append(new nn.BatchNorm1d(hidden));
        }
        seq.append(new nn.Linear(hidden, classes));
        return seq;
    }
}
