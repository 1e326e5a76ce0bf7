using AverLab.Torch;
using static AverLab.Torch.torch;

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
            var v = new float[n];
            for (long i = 0; i < n; i++)
            {
                var a = 0.37 * i + index;
                double x;
                if (name.EndsWith("running_mean", StringComparison.Ordinal)) x = 0;
                else if (name.EndsWith("running_var", StringComparison.Ordinal) || name.EndsWith("_std", StringComparison.Ordinal)) x = 1 + 0.1 * Math.Cos(a);
                else if (t.dim() >= 2) x = Math.Sin(a) / Math.Sqrt((double)n / t.shape[0]);
                else if (name.EndsWith("weight", StringComparison.Ordinal)) x = 1 + 0.1 * Math.Sin(a);
                else x = 0.1 * Math.Sin(a);
                v[i] = (float)x;
            }
            t.copy_(tensor(v, t.shape));
        }
    }
}
