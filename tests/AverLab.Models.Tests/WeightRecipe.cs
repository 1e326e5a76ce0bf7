using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Models.Tests;

/// <summary>The deterministic, seed-free weight recipe of tests/golden/make_models_golden.py, applied identically:
/// entry k of the state dict (in order), i = 0..numel−1, computed in double then rounded to float32.</summary>
internal static class WeightRecipe
{
    public static void Apply(nn.Module model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var k = 0;
        foreach (var (name, t) in model.state_dict())
        {
            var index = k++;
            if (!t.is_floating_point()) continue;
            var n = t.numel();
            var shape = t.shape;                                         // once: every shape/dim() is a native call
            var v = new float[n];
            var kind = name.EndsWith("running_mean", StringComparison.Ordinal) ? 0
                : name.EndsWith("running_var", StringComparison.Ordinal) || name.EndsWith("_std", StringComparison.Ordinal) ? 1
                : shape.Length >= 2 ? 2
                : name.EndsWith("weight", StringComparison.Ordinal) ? 3 : 4;
            var scale = shape.Length >= 2 ? Math.Sqrt((double)n / shape[0]) : 1;
            for (long i = 0; i < n; i++)
            {
                var a = 0.37 * i + index;
                var x = kind switch
                {
                    0 => 0,
                    1 => 1 + 0.1 * Math.Cos(a),
                    2 => Math.Sin(a) / scale,
                    3 => 1 + 0.1 * Math.Sin(a),
                    _ => 0.1 * Math.Sin(a),
                };
                v[i] = (float)x;
            }
            t.copy_(tensor(v, shape));
        }
    }
}
