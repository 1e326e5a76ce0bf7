namespace AverLab.Torch;

/// <summary>Python-style formatting for module summaries: (3, 3), True, 1e-05.</summary>
internal static class Repr
{
    internal static string Tuple(long[] v) => v.Length == 1 ? $"({v[0]},)" : "(" + string.Join(", ", v) + ")";
    internal static string Bool(bool b) => b ? "True" : "False";
    internal static string Num(double d) => d.ToString("G", System.Globalization.CultureInfo.InvariantCulture).Replace("E-0", "e-0").Replace("E-", "e-");
}
