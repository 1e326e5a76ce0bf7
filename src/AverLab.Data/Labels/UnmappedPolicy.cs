namespace AverLab.Data.Labels;

/// <summary>What to do with an item whose label a <see cref="LabelSpace"/> does not map.</summary>
public enum UnmappedPolicy
{
    /// <summary>Drop it and count it per label in <see cref="LabelMapping.Dropped"/>.</summary>
    Drop,
    /// <summary>Throw <see cref="UnmappedLabelException"/> listing every unmapped label and its count.</summary>
    Reject,
}
