namespace AverLab.Data.Loading;

/// <summary>Random access to examples (torch.utils.data.Dataset). Get must be thread-safe: the loader calls it from
/// its prefetch thread.</summary>
public interface IDataset
{
    int Count { get; }
    Example Get(int index);
}
