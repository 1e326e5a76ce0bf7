namespace AverLab.Data.Labels;

/// <summary>The result of mapping items into a label space: the kept items and, per unmapped label, how many were
/// dropped (empty when everything mapped).</summary>
public sealed record LabelMapping(LabelSpace Space, IReadOnlyList<LabeledItem> Items, IReadOnlyDictionary<string, int> Dropped)
{
    public int DroppedCount => Dropped.Values.Sum();
}
