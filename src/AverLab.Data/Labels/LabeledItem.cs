using AverLab.Data.Corpora;

namespace AverLab.Data.Labels;

/// <summary>A corpus item with its class index in a <see cref="LabelSpace"/>.</summary>
public sealed record LabeledItem(CorpusItem Item, int Label);
