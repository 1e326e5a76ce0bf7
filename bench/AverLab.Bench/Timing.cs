using System.Diagnostics;

namespace AverLab.Bench;

/// <summary>Steady-state timing: warm up, then the best of several repeats (least disturbed by other load).</summary>
internal static class Timing
{
    /// <summary>Seconds per iteration of <paramref name="body"/>, best of <paramref name="repeats"/> runs.</summary>
    public static double SecondsPerIteration(Action<int> body, int iterations, int repeats = 5, int warmup = -1)
    {
        body(warmup < 0 ? Math.Max(1, iterations / 5) : warmup);
        var best = double.MaxValue;
        for (var r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            body(iterations);
            best = Math.Min(best, sw.Elapsed.TotalSeconds / iterations);
        }
        return best;
    }
}
