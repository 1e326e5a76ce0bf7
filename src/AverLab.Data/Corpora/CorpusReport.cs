namespace AverLab.Data.Corpora;

/// <summary>One file or row a reader could not use, and why (the reason names the problem; <see cref="Path"/> the file).</summary>
public sealed record SkippedItem(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>Everything a reader skipped. Readers never throw for one bad item: they add it here and go on.</summary>
public sealed class CorpusReport
{
    private readonly List<SkippedItem> skipped = [];
    public IReadOnlyList<SkippedItem> Skipped => skipped;
    public void Skip(string path, string reason) => skipped.Add(new SkippedItem(path, reason));
    public void AddRange(IEnumerable<SkippedItem> items) => skipped.AddRange(items);
    public override string ToString() => skipped.Count == 0 ? "nothing skipped" :
        $"{skipped.Count} skipped:\n" + string.Join("\n", skipped.Select(s => "  " + s));
}

/// <summary>A corpus as read: usable items plus the report of skipped ones.</summary>
public sealed record CorpusReadResult(string Corpus, string Root, IReadOnlyList<CorpusItem> Items, CorpusReport Report);
