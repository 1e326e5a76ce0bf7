using AverLab.Data.Labels;

namespace AverLab.Data.Splits;

/// <summary>One train/validation/test partition, by item <see cref="Corpora.CorpusItem.Id"/>. Written to a JSON
/// manifest (<see cref="SplitManifest"/>) so a run can be reproduced exactly.</summary>
public sealed record DataSplit
{
    public required string Protocol { get; init; }
    public int Seed { get; init; }
    /// <summary>The fold this split is the test side of, for k-fold protocols.</summary>
    public int? Fold { get; init; }
    /// <summary>True when the protocol forbids a speaker on both sides (checked by <see cref="LeakCheck"/>).</summary>
    public bool SpeakerIndependent { get; init; }
    public required IReadOnlyList<string> Train { get; init; }
    public IReadOnlyList<string> Validation { get; init; } = [];
    public required IReadOnlyList<string> Test { get; init; }

    /// <summary>The items of each side, in the split's order. Ids the items do not contain are an error (the manifest
    /// belongs to another corpus or version).</summary>
    public (IReadOnlyList<LabeledItem> train, IReadOnlyList<LabeledItem> validation, IReadOnlyList<LabeledItem> test)
        Select(IReadOnlyList<LabeledItem> items)
    {
        var byId = new Dictionary<string, LabeledItem>(StringComparer.Ordinal);
        foreach (var it in items) byId[it.Item.Id] = it;
        List<LabeledItem> Pick(IReadOnlyList<string> ids, string side)
        {
            var missing = ids.Where(id => !byId.ContainsKey(id)).Take(3).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException($"split '{Protocol}' {side} lists items the corpus lacks (e.g. {string.Join(", ", missing)}); regenerate the split");
            return ids.Select(id => byId[id]).ToList();
        }
        return (Pick(Train, "train"), Pick(Validation, "validation"), Pick(Test, "test"));
    }
}
