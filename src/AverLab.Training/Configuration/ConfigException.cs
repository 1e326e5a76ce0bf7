namespace AverLab.Training.Configuration;

/// <summary>A configuration error, reported before any work starts: the file, line and column, the key path,
/// and what is allowed.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string file, long line, long column, string keyPath, string problem)
        : base($"{file}:{line}:{column}: {keyPath}: {problem}")
    {
        File = file;
        Line = line;
        KeyPath = keyPath;
        Problem = problem;
    }

    public string File { get; }
    public long Line { get; }
    public string KeyPath { get; }
    public string Problem { get; }
}
