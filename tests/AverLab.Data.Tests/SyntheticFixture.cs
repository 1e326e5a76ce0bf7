using AverLab.Data.Synthetic;

namespace AverLab.Data.Tests;

/// <summary>One synthetic corpus per test run (8 actors x 60 speech wavs at 16 kHz, 7 x 300 FER faces, no video),
/// shared by the tests that read it. Deleted at the end.</summary>
public sealed class SyntheticFixture : IDisposable
{
    public SyntheticFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "averlab-data-synth-" + Guid.NewGuid().ToString("N")[..8]);
        Options = new SyntheticCorpusOptions { Seed = 7, Actors = 8, Video = false, FerPerClass = 300 };
        Result = SyntheticCorpus.Generate(Root, Options);
    }

    public string Root { get; }
    public SyntheticCorpusOptions Options { get; }
    public SyntheticCorpusResult Result { get; }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("synthetic")]
public sealed class SyntheticCollection : ICollectionFixture<SyntheticFixture>;
