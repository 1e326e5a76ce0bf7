using AverLab.Torch.Serialization;

namespace AverLab.Torch.Tests.NN;

/// <summary>Reads the fixtures written by tests/golden/make_nn_golden.py (copied next to the test assembly) and
/// compares tensors with a stated tolerance.</summary>
internal static class Golden
{
    /// <summary>float32 parity tolerance: |actual - expected| ≤ Atol + Rtol·|expected| element-wise. Rtol is the
    /// issue's 1e-5; Atol is a small floor for values near zero, where float32 rounding of a sum of many terms
    /// cannot be relative.</summary>
    public const double Rtol = 1e-5, Atol = 1e-6;

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "golden", file);

    public static (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) Load(string file) =>
        SafeTensors.LoadWithMetadata(PathOf(file));

    public static void AssertClose(Tensor expected, Tensor actual, string what, double rtol = Rtol, double atol = Atol)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        if (!expected.is_floating_point())
        {
            using var a = actual.to(expected.dtype);
            Assert.True(expected.equal(a), $"{what}: integer values differ");
            return;
        }
        using var act = actual.detach().to(ScalarType.Float64);
        using var exp = expected.to(ScalarType.Float64);
        var e = exp.data<double>();
        var x = act.data<double>();
        for (var k = 0; k < e.Length; k++)
        {
            var ok = Math.Abs(x[k] - e[k]) <= atol + rtol * Math.Abs(e[k]) || (double.IsNegativeInfinity(e[k]) && double.IsNegativeInfinity(x[k]));
            Assert.True(ok, $"{what}: element {k} is {x[k]:R}, expected {e[k]:R} (rtol {rtol}, atol {atol})");
        }
    }
}
