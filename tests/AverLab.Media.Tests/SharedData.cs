namespace AverLab.Media.Tests;

/// <summary>Locates ../shared/data beside the repository (present on the team machine, absent in a clone).</summary>
internal static class SharedData
{
    public static string? Ravdess { get; } = Find(Path.Combine("shared", "data", "ravdess-speech-sample"));

    private static string? Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
