using AverLab.Data.Features;
using AverLab.Data.Labels;

namespace AverLab.Data.Loading;

/// <summary>Labelled items whose features come from a filled <see cref="FeatureCache"/>. Items the cache lacks
/// (failed extraction) are left out at construction and listed in <see cref="Missing"/>.</summary>
public sealed class FeatureDataset : IDataset
{
    private readonly FeatureCache cache;
    private readonly List<LabeledItem> items = [];

    public FeatureDataset(FeatureCache cache, IEnumerable<LabeledItem> items)
    {
        this.cache = cache;
        var missing = new List<LabeledItem>();
        foreach (var it in items) (cache.TryGet(it.Item.Path, out _) ? this.items : missing).Add(it);
        Missing = missing;
    }

    public IReadOnlyList<LabeledItem> Items => items;
    public IReadOnlyList<LabeledItem> Missing { get; }
    public int Count => items.Count;

    public Example Get(int index)
    {
        var f = cache.Get(items[index].Item.Path);
        return new Example(f.Data, f.Shape, items[index].Label);
    }
}
