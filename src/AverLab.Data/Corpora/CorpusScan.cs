namespace AverLab.Data.Corpora;

/// <summary>Shared folder walking for the readers: files with the wanted extensions, in ordinal path order (so every
/// run lists a corpus identically), with optional header checks that turn corrupt files into report entries.</summary>
internal static class CorpusScan
{
    public static IEnumerable<string> Files(string root, IReadOnlyCollection<string> extensions, string? subfolder = null)
    {
        var dir = subfolder == null ? root : System.IO.Path.Combine(root, subfolder);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => extensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => f, StringComparer.Ordinal);
    }

    public static void RequireRoot(string root, string corpus)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"{corpus} root '{root}' does not exist (see src/AverLab.Data/README.md for the expected layout)");
    }

    public static string Relative(string root, string path) => System.IO.Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>True when the file passes the header check (or checks are off); otherwise reports it.</summary>
    public static bool Check(string path, bool validate, CorpusReport report)
    {
        if (!validate) return true;
        var problem = MediaFileCheck.Problem(path);
        if (problem == null) return true;
        report.Skip(path, problem);
        return false;
    }
}
