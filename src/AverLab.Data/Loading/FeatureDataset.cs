using AverLab.Data.Features;
using AverLab.Data.Labels;

namespace AverLab.Data.Loading;

/// <summary>Labelled items whose features come from a filled <see cref="FeatureCache"/>. Multi-input models read
/// further caches over the same files (<c>extras</c>): their features become <see cref="Example.Extra"/>
/// in order. Items a cache lacks (failed extraction) are left out at construction and listed in
/// <see cref="Missing"/>.</summary>
public sealed class FeatureDataset : IDataset
{
    private readonly FeatureCache cache;
    private readonly IReadOnlyList<FeatureCache> extras;
    private readonly List<LabeledItem> items = [];

    public FeatureDataset(FeatureCache cache, IEnumerable<LabeledItem> items, IReadOnlyList<FeatureCache>? extras = null)
    {
        this.cache = cache;
        this.extras = extras ?? [];
        var missing = new List<LabeledItem>();
        foreach (var it in items)
            (cache.TryGet(it.Item.Path, out _) && this.extras.All(x => x.TryGet(it.Item.Path, out _)) ? this.items : missing).Add(it);
        Missing = missing;
    }

    public IReadOnlyList<LabeledItem> Items => items;
    public IReadOnlyList<LabeledItem> Missing { get; }
    public int Count => items.Count;

    public Example Get(int index)
    {
        var path = items[index].Item.Path;
        var f = cache.Get(path);
        return new Example(f.Data, f.Shape, items[index].Label) { Extra = extras.Select(x => x.Get(path)).ToList(), Speaker = items[index].Item.Speaker };
    }
}
