namespace AverLab.Media;

/// <summary>A media file that cannot be used: missing, truncated, corrupt, of an unsupported format, or without
/// the stream asked for. The message always names the file and the problem; corpus runs catch this type, report
/// the item and go on.</summary>
public sealed class MediaFormatException : IOException
{
    public MediaFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    public string Path { get; }
    public string Problem { get; }
}
