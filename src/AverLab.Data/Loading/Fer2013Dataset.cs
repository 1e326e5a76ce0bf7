using AverLab.Data.Corpora;
using AverLab.Data.Labels;

namespace AverLab.Data.Loading;

/// <summary>FER2013 CSV rows as examples: pixels scaled to [0, 1] as [1, 48, 48] (channel, height, width), labels
/// from the label space the items were mapped with. Items without a <see cref="Fer2013Row"/> (e.g. from the
/// image-folder variant, which need decoding) are rejected with their path.</summary>
public sealed class Fer2013Dataset : IDataset
{
    private readonly IReadOnlyList<LabeledItem> items;

    public Fer2013Dataset(IReadOnlyList<LabeledItem> items)
    {
        var bad = items.FirstOrDefault(i => i.Item.Details is not Fer2013Row);
        if (bad != null) throw new ArgumentException($"{bad.Item.Path}: not a FER2013 CSV row (read the CSV with Fer2013Corpus.ReadCsv)");
        this.items = items;
    }

    public int Count => items.Count;

    public Example Get(int index)
    {
        var row = (Fer2013Row)items[index].Item.Details!;
        var data = new float[row.Pixels.Length];
        for (var i = 0; i < data.Length; i++) data[i] = row.Pixels[i] / 255f;
        return new Example(data, [1, Fer2013Corpus.Side, Fer2013Corpus.Side], items[index].Label);
    }
}
