using AverLab.Torch.Serialization;

namespace AverLab.Torch.Tests.Golden;

/// <summary>Reads a fixture written by a tests/golden/*.py script (copied next to the test assembly).</summary>
internal static class GoldenFile
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "golden", name);

    public static Dictionary<string, SafeTensorEntry> Entries(string name) => SafeTensors.ReadRaw(PathOf(name)).entries;

    /// <summary>Asserts two tensors match in shape, dtype and values (|a-e| ≤ atol + rtol·|e|, NaNs equal).</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what, double rtol = 1e-5, double atol = 1e-6)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        Assert.True(expected.dtype == actual.dtype, $"{what}: dtype {actual.dtype}, expected {expected.dtype}");
        using var e = expected.to(ScalarType.Float64);
        using var a = actual.detach().to(ScalarType.Float64);
        var ev = e.data<double>();
        var av = a.data<double>();
        for (var i = 0; i < ev.Length; i++)
        {
            if (double.IsNaN(ev[i]) && double.IsNaN(av[i])) continue;
            if (double.IsInfinity(ev[i]) && ev[i] == av[i]) continue;
            var tol = atol + rtol * Math.Abs(ev[i]);
            Assert.True(Math.Abs(ev[i] - av[i]) <= tol, $"{what}: element {i} is {av[i]:R}, expected {ev[i]:R} (tolerance {tol:G3})");
        }
    }
}
