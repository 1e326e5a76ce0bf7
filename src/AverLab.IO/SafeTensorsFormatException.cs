namespace AverLab.IO;

/// <summary>A safetensors file that is truncated, corrupt or inconsistent; the message names the file.</summary>
public sealed class SafeTensorsFormatException(string path, string problem)
    : IOException($"{path}: not a valid safetensors file: {problem}")
{
    public string Path { get; } = path;
    public string Problem { get; } = problem;
}
