using System.Globalization;
using AverLab.Training.Configuration;

namespace AverLab.Training.Search;

/// <summary>Turns the `search.space` of a config into trial parameter sets (key path → value text, applied to the
/// config as `--set` overrides). Sampling is seeded: the same seed gives the same trials.</summary>
public static class SearchSpace
{
    /// <summary>Random draws: choice uniformly, uniform linearly, loguniform in log space, int inclusive.</summary>
    public static List<Dictionary<string, string>> Random(IReadOnlyDictionary<string, SearchDimension> space, int count, long seed)
    {
        var rng = new Random(unchecked((int)seed));
        var trials = new List<Dictionary<string, string>>();
        for (var t = 0; t < count; t++)
        {
            var p = new Dictionary<string, string>();
            foreach (var (key, d) in space.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                p[key] = d switch
                {
                    { Choice: { } c } => c[rng.Next(c.Count)],
                    { Uniform: { } u } => Num(u[0] + rng.NextDouble() * (u[1] - u[0])),
                    { Loguniform: { } l } => Num(Math.Exp(Math.Log(l[0]) + rng.NextDouble() * (Math.Log(l[1]) - Math.Log(l[0])))),
                    { Int: { } i } => (i[0] + rng.NextInt64(i[1] - i[0] + 1)).ToString(CultureInfo.InvariantCulture),
                    _ => throw new InvalidOperationException($"search dimension {key} has no distribution"),
                };
            trials.Add(p);
        }
        return trials;
    }

    /// <summary>The full grid: every choice; int ranges enumerated; continuous ranges at
    /// <paramref name="pointsPerRange"/> evenly spaced points (log-spaced for loguniform).</summary>
    public static List<Dictionary<string, string>> Grid(IReadOnlyDictionary<string, SearchDimension> space, int pointsPerRange = 3)
    {
        IEnumerable<Dictionary<string, string>> acc = [new Dictionary<string, string>()];
        foreach (var (key, d) in space.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var values = d switch
            {
                { Choice: { } c } => c.ToList(),
                { Int: { } i } => Enumerable.Range(0, (int)(i[1] - i[0] + 1)).Select(k => (i[0] + k).ToString(CultureInfo.InvariantCulture)).ToList(),
                { Uniform: { } u } => Enumerable.Range(0, pointsPerRange).Select(k => Num(u[0] + (u[1] - u[0]) * k / (pointsPerRange - 1))).ToList(),
                { Loguniform: { } l } => Enumerable.Range(0, pointsPerRange)
                    .Select(k => Num(k == 0 ? l[0] : k == pointsPerRange - 1 ? l[1]
                        : Math.Exp(Math.Log(l[0]) + (Math.Log(l[1]) - Math.Log(l[0])) * k / (pointsPerRange - 1)))).ToList(),
                _ => throw new InvalidOperationException($"search dimension {key} has no distribution"),
            };
            acc = acc.SelectMany(p => values.Select(v => new Dictionary<string, string>(p) { [key] = v })).ToList();
        }
        return acc.ToList();
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
