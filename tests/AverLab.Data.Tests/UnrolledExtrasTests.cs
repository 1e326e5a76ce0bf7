using AverLab.Data.Features;
using AverLab.Data.Loading;

namespace AverLab.Data.Tests;

/// <summary>features.kind faces with features.landmarks: a video's [N, C, S, S] crops unroll into N images, and its
/// [N, 136] landmark rows must unroll with them, row i with crop i; an extra without a row per crop stays whole.</summary>
public sealed class UnrolledExtrasTests
{
    [Fact]
    public void PerRowExtrasUnrollWithTheirRows()
    {
        // Two videos: 3 and 2 crops of 1 x 2 x 2; landmarks of 4 values per crop; a 5-value clip-level extra.
        Example Video(int crops, float baseValue, long label) => new(
            Enumerable.Range(0, crops * 4).Select(i => baseValue + i).ToArray(), [crops, 1, 2, 2], label)
        {
            Extra =
            [
                FeatureArray.Create(Enumerable.Range(0, crops * 4).Select(i => -(baseValue + i)).ToArray(), crops, 4),
                FeatureArray.Create(Enumerable.Repeat(baseValue, 5).ToArray(), 5),
            ],
        };
        var set = new UnrolledDataset(new InMemoryDataset([Video(3, 100, 0), Video(2, 200, 1)]));
        Assert.Equal(5, set.Count);
        var e = set.Get(4);                                       // second video, second crop
        Assert.Equal(1, set.ItemOf(4));
        Assert.Equal([204f, 205, 206, 207], e.Data);
        Assert.Equal([1L, 2, 2], e.Shape);
        Assert.Equal([4L], e.Extra[0].Shape);
        Assert.Equal([-204f, -205, -206, -207], e.Extra[0].Data);
        Assert.Equal([5L], e.Extra[1].Shape);                     // not one row per crop: kept whole
        Assert.Equal(1, e.Label);
        Assert.Equal([-108f, -109, -110, -111], set.Get(2).Extra[0].Data);
    }
}
