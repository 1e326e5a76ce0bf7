using AverLab.Data.Features;

namespace AverLab.Data.Loading;

/// <summary>Turns each example of shape [N, ...] into N examples of shape [...] with the same label: the face
/// crops of a video's frames become one training image each (the face-ResNet seed trains on frames, labelled by
/// their video); extra inputs with one row per row (a face's landmarks) unroll with them. <see cref="ItemOf"/> maps an unrolled example back to its source, so predictions can also be
/// pooled per video. Unrolling happens after the split, so all frames of a speaker stay on one side.</summary>
public sealed class UnrolledDataset : IDataset
{
    private readonly IDataset inner;
    private readonly (int item, int row)[] index;

    public UnrolledDataset(IDataset inner)
    {
        this.inner = inner;
        var list = new List<(int, int)>();
        for (var i = 0; i < inner.Count; i++)
        {
            var e = inner.Get(i);
            if (e.Shape.Length < 2) throw new ArgumentException($"example {i} has shape [{string.Join(", ", e.Shape)}]; unrolling needs [N, ...]");
            for (var r = 0; r < e.Shape[0]; r++) list.Add((i, r));
        }
        index = list.ToArray();
    }

    public int Count => index.Length;

    /// <summary>The index of the source example in the wrapped dataset.</summary>
    public int ItemOf(int index) => this.index[index].item;

    public Example Get(int index)
    {
        var (item, row) = this.index[index];
        var e = inner.Get(item);
        var shape = e.Shape[1..];
        var size = (int)shape.Aggregate(1L, (a, b) => a * b);
        // Extra inputs with a row per unrolled row (a landmark row per face crop) unroll with it; others stay whole.
        var extra = e.Extra.Select(x =>
        {
            if (x.Shape.Length < 1 || x.Shape[0] != e.Shape[0]) return x;
            var xs = x.Shape[1..];
            var n = (int)xs.Aggregate(1L, (a, b) => a * b);
            return FeatureArray.Create(x.Data.AsSpan(row * n, n).ToArray(), xs);
        }).ToList();
        return new Example(e.Data.AsSpan(row * size, size).ToArray(), shape, e.Label) { Extra = extra };
    }
}
