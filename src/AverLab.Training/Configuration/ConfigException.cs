namespace AverLab.Training.Configuration;

/// <summary>A configuration error, reported before any work starts: the file, line and column, the key path,
/// and what is allowed. An error in a `--set` value names the `--set` argument instead of a place in the file.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string file, long line, long column, string keyPath, string problem, Exception? inner = null)
        : base(OneLine($"{file}:{line}:{column}: {keyPath}: {problem}"), inner)
    {
        File = file;
        Line = line;
        KeyPath = keyPath;
        Problem = problem;
    }

    private ConfigException(string message, string file, string keyPath, string problem, string assignment)
        : base(OneLine(message))
    {
        File = file;
        KeyPath = keyPath;
        Problem = problem;
        Override = assignment;
    }

    /// <summary>An error in the value (or key) of the override <paramref name="assignment"/> (`--set a.b=c`).</summary>
    public static ConfigException ForOverride(string file, string assignment, string keyPath, string problem) =>
        new($"--set {assignment}: {keyPath}: {problem}", file, keyPath, problem, assignment);

    public string File { get; }
    /// <summary>1-based line in <see cref="File"/>; 0 when the error is not tied to a line (a `--set` argument).</summary>
    public long Line { get; }
    public string KeyPath { get; }
    public string Problem { get; }
    /// <summary>The `--set` assignment at fault, when it was one.</summary>
    public string? Override { get; }

    /// <summary>Messages are one line (a terminal's error line, a CSV cell): parser messages may hold line breaks.</summary>
    private static string OneLine(string s) => s.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
}
