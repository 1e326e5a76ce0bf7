namespace AverLab.Data.Corpora;

/// <summary>Options shared by the folder readers.</summary>
public sealed record ReadOptions
{
    /// <summary>Check each file's header (RIFF/WAVE, ftyp, PNG/JPEG signature) and report corrupt ones instead of
    /// listing them. Cheap: 16 bytes per file.</summary>
    public bool ValidateHeaders { get; init; } = true;
    public static ReadOptions Default { get; } = new();
}
