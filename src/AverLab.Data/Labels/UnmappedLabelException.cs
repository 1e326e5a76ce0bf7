namespace AverLab.Data.Labels;

/// <summary>Thrown under <see cref="UnmappedPolicy.Reject"/> when labels have no class in the label space.</summary>
public sealed class UnmappedLabelException(string space, IReadOnlyDictionary<string, int> counts)
    : Exception($"label space '{space}' has no class for: " +
                string.Join(", ", counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"'{kv.Key}' ({kv.Value} items)")) +
                "; add them to the map or use the Drop policy")
{
    public IReadOnlyDictionary<string, int> Counts { get; } = counts;
}
