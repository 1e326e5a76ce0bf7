namespace AverLab.Data.Loading;

/// <summary>A dataset over examples already in memory.</summary>
public sealed class InMemoryDataset(IReadOnlyList<Example> examples) : IDataset
{
    public int Count => examples.Count;
    public Example Get(int index) => examples[index];
}
