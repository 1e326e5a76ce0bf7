using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>Keras' default initialisers for models ported from Keras: glorot_uniform kernels and zero biases for Conv
/// and Dense layers (PyTorch's defaults differ: kaiming_uniform(a=√5) and uniform biases).</summary>
internal static class KerasInit
{
    public static void Apply(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var m in model.modules())
            switch (m)
            {
                case Conv2d c:
                    nn.init.xavier_uniform_(c.weight);
                    if (c.bias is not null) nn.init.zeros_(c.bias);
                    break;
                case Linear l:
                    nn.init.xavier_uniform_(l.weight);
                    if (l.bias is not null) nn.init.zeros_(l.bias);
                    break;
            }
    }
}
