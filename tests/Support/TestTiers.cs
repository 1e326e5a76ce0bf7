using System.Globalization;

namespace AverLab.Tests.Support;

/// <summary>The test tiers, as the values of <c>[Trait("Category", …)]</c>. A test without a category is fast: it runs
/// in <c>scripts/test.sh --fast</c>; every category below is left out there and runs in the full suite
/// (<c>scripts/test.sh</c>, CI). The README lists them under "Two commands".</summary>
internal static class Category
{
    /// <summary>Trains or scans for tens of seconds or more (see the per-test durations of a trx report).</summary>
    public const string Slow = "Slow";
    /// <summary>Random inputs by the thousand; <see cref="FuzzScale"/> scales the case counts.</summary>
    public const string Fuzz = "Fuzz";
    /// <summary>Starts a local Slurm cluster or mpirun.</summary>
    public const string Cluster = "Cluster";
    /// <summary>Drives Debian's chromium through Playwright.</summary>
    public const string Browser = "Browser";
    /// <summary>Executes the notebooks under notebooks/ on the Polyglot kernel.</summary>
    public const string Notebook = "Notebook";
}

/// <summary>AVERLAB_FUZZ_SCALE multiplies every fuzz test's case count (default 1: the volume CI runs; 0.1 for a quick
/// look, 10 for a long hunt). At least one case always runs.</summary>
internal static class FuzzScale
{
    public static double Factor { get; } = Read(Environment.GetEnvironmentVariable("AVERLAB_FUZZ_SCALE"));

    public static int Cases(int cases) => Math.Max(1, (int)Math.Round(cases * Factor, MidpointRounding.AwayFromZero));

    private static double Read(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return 1;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 && double.IsFinite(f)) return f;
        throw new InvalidOperationException($"AVERLAB_FUZZ_SCALE must be a positive number, got '{value}'");
    }
}
