using AverLab.IO;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>A run that failed after its folder existed: the message names the folder and how to continue it; the full
/// exception (managed and native stack) is in the folder's error.log.</summary>
public sealed class RunFailedException(string message, string runFolder, Exception inner) : InvalidOperationException(message, inner)
{
    public string RunFolder { get; } = runFolder;

    /// <summary>Writes <paramref name="error"/> to the run's error.log and returns the exception to throw.</summary>
    public static RunFailedException Record(RunFolder folder, Exception error)
    {
        var logged = true;
        try
        {
            AtomicFile.WriteAllText(folder.ErrorLog, $"{DateTime.UtcNow:O}\n{error}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logged = false;
        }
        var first = error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? error.GetType().Name;
        var next = File.Exists(folder.LastCheckpoint)
            ? $"`averlab-train --resume {folder.Path}` continues it from its last checkpoint"
            : "no epoch had finished, so there is nothing to resume: start it again";
        return new RunFailedException($"run {folder.Path} failed: {first} — {next}" + (logged ? $" (full error: {folder.ErrorLog})" : ""),
            folder.Path, error);
    }
}
