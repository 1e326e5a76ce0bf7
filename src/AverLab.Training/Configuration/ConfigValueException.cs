namespace AverLab.Training.Configuration;

/// <summary>A config value that binds but that the data or the model then rejects (a test speaker the corpus lacks,
/// model.params the model cannot be built with). Thrown where the file is not known; the runner and the dry run turn
/// it into a <see cref="ConfigException"/> at the key's line with <see cref="ConfigLoader.Loaded.Error"/>.</summary>
public sealed class ConfigValueException(string keyPath, string problem, Exception? inner = null)
    : Exception($"{keyPath}: {problem}", inner)
{
    public string KeyPath { get; } = keyPath;
    public string Problem { get; } = problem;
}
