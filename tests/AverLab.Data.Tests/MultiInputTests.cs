using AverLab.Data.Features;
using AverLab.Data.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Data.Tests;

/// <summary>Extra inputs of multi-input examples (the fusion model's frames beside its audio) and unrolled
/// per-frame examples (face crops of a video, one image each).</summary>
[Collection("synthetic")]
public sealed class MultiInputTests
{
    [Fact]
    public void CollateStacksExtraInputsBesideThePaddedMainInput()
    {
        var before = Tensor.TotalCount;
        var a = new Example([1, 2], [1, 2], 0) { Extra = [FeatureArray.Create([10, 11, 12, 13, 14, 15], 3, 2), FeatureArray.Create([7], 1)] };
        var b = new Example([3, 4, 5, 6], [2, 2], 1) { Extra = [FeatureArray.Create([20, 21, 22, 23, 24, 25], 3, 2), FeatureArray.Create([8], 1)] };
        using (var batch = Collate.Pad([a, b], [0, 1]))
        {
            Assert.Equal([2L, 2, 2], batch.Inputs.shape);
            Assert.Equal(2, batch.Extra.Count);
            Assert.Equal([2L, 3, 2], batch.Extra[0].shape);
            Assert.Equal([10f, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25], batch.Extra[0].data<float>().ToArray());
            Assert.Equal([2L, 1], batch.Extra[1].shape);
            Assert.Equal([7f, 8], batch.Extra[1].data<float>().ToArray());
        }
        Assert.Equal(before, Tensor.TotalCount);
    }

    [Fact]
    public void CollateRefusesExtraInputsThatDifferInShapeOrCount()
    {
        var a = new Example([1], [1], 0) { Extra = [FeatureArray.Create([1, 2], 2)] };
        var b = new Example([1], [1], 0) { Extra = [FeatureArray.Create([1, 2, 3], 3)] };
        var e = Assert.Throws<ArgumentException>(() => Collate.Pad([a, b], [0, 1]));
        Assert.Contains("extra input 0 differs", e.Message);
        var c = new Example([1], [1], 0);
        Assert.Contains("different numbers of extra inputs", Assert.Throws<ArgumentException>(() => Collate.Pad([a, c], [0, 1])).Message);
    }

    [Fact]
    public void UnrolledDatasetMakesOneExamplePerRowAndMapsBackToItsItem()
    {
        // Item 0: 2 rows of [1, 2]; item 1: 3 rows.
        var inner = new InMemoryDataset([
            new Example([0, 1, 2, 3], [2, 1, 2], 4),
            new Example([10, 11, 12, 13, 14, 15], [3, 1, 2], 2),
        ]);
        var u = new UnrolledDataset(inner);
        Assert.Equal(5, u.Count);
        Assert.Equal([0, 0, 1, 1, 1], Enumerable.Range(0, 5).Select(u.ItemOf));
        var third = u.Get(2);
        Assert.Equal([10f, 11], third.Data);
        Assert.Equal([1L, 2], third.Shape);
        Assert.Equal(2, third.Label);
        Assert.Equal([2f, 3], u.Get(1).Data);
        Assert.Throws<ArgumentException>(() => new UnrolledDataset(new InMemoryDataset([new Example([1, 2], [2], 0)])));
    }
}
