namespace AverLab.Data.Features;

/// <summary>Turns one file into features. <see cref="ConfigHash"/> must change whenever any setting that changes
/// the output changes (the cache keys on it). Implementations must be thread-safe: the cache calls
/// <see cref="Extract"/> from several threads. A file that cannot be used should throw
/// <see cref="Media.MediaFormatException"/> (or any IOException/InvalidDataException): the cache reports and skips it.</summary>
public interface IFeatureExtractor
{
    /// <summary>A short name for folders and reports, e.g. "mfcc40".</summary>
    string Name { get; }
    /// <summary>A stable hash of every setting that affects the output.</summary>
    string ConfigHash { get; }
    FeatureArray Extract(string path);
}
