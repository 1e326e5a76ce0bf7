using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>The seeds' classifier head: Linear(in, hidden) → BN, then (layers − 1) x [Linear(hidden, hidden) → ReLU →
/// Dropout → BN], then Linear(hidden, classes). With layers = 0 it is a single Linear(in, classes), torchvision's fc.
/// Children are numbered as in Sequential, so keys are "fc.0.weight", "fc.1.running_mean", ...</summary>
public static class DenseHead
{
    public static nn.Module<Tensor, Tensor> Create(long inFeatures, long hidden, int layers, double dropout, long classes)
    {
        if (layers < 0) throw new ArgumentException($"the number of dense layers must be at least 0, got {layers}");
        if (layers == 0) return nn.Linear(inFeatures, classes);
        var seq = nn.Sequential(nn.Linear(inFeatures, hidden), nn.BatchNorm1d(hidden));
        for (var i = 1; i < layers; i++)
        {
            seq.append(nn.Linear(hidden, hidden));
            seq.append(nn.ReLU());
            seq.append(new UniformMaskDropout(dropout));
            seq.append(nn.BatchNorm1d(hidden));
        }
        seq.append(nn.Linear(hidden, classes));
        return seq;
    }
}
