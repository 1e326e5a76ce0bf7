namespace AverLab.Models.Tests;

internal static class Golden
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "golden", file);
}
