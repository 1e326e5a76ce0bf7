namespace AverLab.Data.Corpora;

/// <summary>Shared folder walking for the readers: files with the wanted extensions, in ordinal path order (so every
/// run lists a corpus identically), with optional header checks that turn corrupt files into report entries.</summary>
internal static class CorpusScan
{
    /// <summary>Audio containers every reader accepts wherever a corpus is distributed as WAV (decoded by ffmpeg
    /// through AverLab.Media's AudioLoader): a corpus re-encoded losslessly to FLAC, or shipped as MP3/Ogg, reads
    /// with the same name rules.</summary>
    public static readonly string[] AudioExtensions = [".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a"];

    public static bool IsAudio(string path) => AudioExtensions.Contains(System.IO.Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Drops every file whose path without extension was already seen (e.g. a clip present both as .wav and
    /// .flac), reporting it, so a re-encoded copy beside the original is not read as a second utterance.</summary>
    public static IEnumerable<string> FirstPerStem(IEnumerable<string> files, CorpusReport report)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            var stem = System.IO.Path.ChangeExtension(f, null);
            if (seen.TryGetValue(stem, out var first)) { report.Skip(f, $"another encoding of {System.IO.Path.GetFileName(first)} (same name, already read)"); continue; }
            seen[stem] = f;
            yield return f;
        }
    }
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
