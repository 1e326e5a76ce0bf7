using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Bench;

/// <summary>The BLAS/LAPACK and threading libraries this process really mapped after a matmul (read from
/// /proc/self/maps, as threadpoolctl reports the peer's), the thread count and the relevant environment.</summary>
public static class Libraries
{
    private static readonly Regex MathLibrary = new(@"(blas|lapack|mkl|openblas|blis|gomp|iomp|dnnl|mkldnn|libtorch_cpu)[^/]*\.so", RegexOptions.IgnoreCase);

    public static void Print()
    {
        using (var a = randn(256, 256)) using (var b = a.matmul(a)) { }
        var mapped = File.Exists("/proc/self/maps")
            ? File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 6)
                .Select(f => f[5]).Where(path => MathLibrary.IsMatch(Path.GetFileName(path))).Distinct().Order(StringComparer.Ordinal).ToList()
            : [];
        var env = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("OPENBLAS_") || k.StartsWith("MKL_") || k.StartsWith("OMP_")).Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}");
        // libtorch's wheels link MKL statically into libtorch_cpu.so: no separate BLAS library appears then.
        var blas = mapped.Any(p => Regex.IsMatch(Path.GetFileName(p), "blas|mkl|blis", RegexOptions.IgnoreCase)) ? "" : " (no separate BLAS mapped: MKL static in libtorch_cpu.so)";
        Console.WriteLine($"# averlab: libtorch {torch.__version__} threads={torch.get_num_threads()} mapped: {string.Join(" ", mapped.DefaultIfEmpty("none"))}{blas} env: {string.Join(" ", env)}");
    }
}
