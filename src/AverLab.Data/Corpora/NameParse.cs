namespace AverLab.Data.Corpora;

/// <summary>The outcome of parsing one file name: a value, or the reason it is malformed.</summary>
public readonly record struct NameParse<T>(T? Value, string? Error) where T : class
{
    public bool Ok => Value != null;
    public static NameParse<T> Fail(string error) => new(null, error);
    public static NameParse<T> Success(T value) => new(value, null);
}
