namespace AverLab.Data.Corpora;

/// <summary>Reads a CSV manifest with a header row: required columns <c>path,label</c>, optional <c>speaker</c>,
/// <c>split</c>, and any others (kept in <see cref="CorpusItem.Details"/> as a string dictionary). Relative paths
/// are resolved against the manifest's folder. Rows with an empty path or label, or a missing file, are reported.</summary>
public static class ManifestCorpus
{
    public const string Name = "manifest";

    public static CorpusReadResult Read(string csvPath, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"manifest '{csvPath}' does not exist", csvPath);
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var report = new CorpusReport();
        var items = new List<CorpusItem>();
        using var csv = new CsvTable(csvPath);
        var header = csv.Header;
        foreach (var col in new[] { "path", "label" })
            if (!csv.Has(col)) { report.Skip(csvPath, $"header lacks column '{col}' (expected path,label[,speaker,...])"); return new(Name, csvPath, items, report); }
        while (csv.Read())
        {
            var where = $"{csvPath}#{csv.Row}";
            var path = csv.Get("path");
            var label = csv.Get("label");
            if (string.IsNullOrWhiteSpace(path)) { report.Skip(where, "empty path"); continue; }
            if (string.IsNullOrWhiteSpace(label)) { report.Skip(where, $"empty label for '{path}'"); continue; }
            var full = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDir, path));
            if (!File.Exists(full)) { report.Skip(full, $"listed in {where} but does not exist"); continue; }
            if (!CorpusScan.Check(full, options.ValidateHeaders, report)) continue;
            var extra = header.Where(h => h is not ("path" or "label" or "speaker" or "split"))
                .ToDictionary(h => h, h => csv.Get(h));
            var speaker = header.Contains("speaker") ? NullIfEmpty(csv.Get("speaker")) : null;
            var split = header.Contains("split") ? NullIfEmpty(csv.Get("split")) : null;
            items.Add(new CorpusItem(full, Name, label, EmotionNames.TryParse(label), speaker)
            { Kind = FolderCorpus.KindOf(full), PresetSplit = split, Details = extra, Id = path });
        }
        return new CorpusReadResult(Name, csvPath, items, report);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
