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

/// <summary>A fact that reads ../shared/data: skipped, with the reason, in a clone without it.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Ravdess == null) Skip = "../shared/data/ravdess-speech-sample is absent (only the team machine has it)";
    }
}
