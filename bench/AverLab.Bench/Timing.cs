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

    /// <summary>Seconds of the fastest of <paramref name="runs"/> single timed runs of <paramref name="body"/>, after
    /// <paramref name="warmup"/> untimed ones.</summary>
    public static double FastestSingleRun(Action body, int runs, int warmup = 1)
    {
        for (var i = 0; i < warmup; i++) body();
        var best = double.MaxValue;
        for (var r = 0; r < runs; r++)
        {
            var start = Stopwatch.GetTimestamp();
            body();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }
}
