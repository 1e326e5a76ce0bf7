namespace AverLab.Data.Synthetic;

/// <summary>What <see cref="SyntheticCorpus.Generate"/> wrote.</summary>
public sealed record SyntheticCorpusResult(string RavdessRoot, string? FerCsv, int AudioFiles, int VideoFiles, int FerRows, TimeSpan Elapsed);
