using AverLab.Training.Experiments;
using AverLab.Runs;

namespace AverLab.Training.Tests.Experiments;

public sealed class RunFailedExceptionTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("averlab-failed-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void WithACheckpointTheMessageSaysResumeAndTheLogHoldsTheWholeException()
    {
        var folder = RunFolder.Create(root, "x", "name: x\n");
        Directory.CreateDirectory(folder.CheckpointDir);
        File.WriteAllText(folder.LastCheckpoint, "");
        Exception inner;
        try { throw new System.Runtime.InteropServices.ExternalException("Unknown scalar type.\nException raised from type at c10/core/Scalar.h"); }
        catch (Exception e) { inner = e; }
        var failed = RunFailedException.Record(folder, inner);
        Assert.Equal($"run {folder.Path} failed: Unknown scalar type. — `averlab-train --resume {folder.Path}` continues it from its last checkpoint (full error: {folder.ErrorLog})", failed.Message);
        Assert.Same(inner, failed.InnerException);
        var log = File.ReadAllText(folder.ErrorLog);
        Assert.Contains("Exception raised from type at c10/core/Scalar.h", log);
        Assert.Contains("RunFailedExceptionTests", log);   // the managed stack
    }

    [Fact]
    public void WithoutACheckpointTheMessageSaysStartAgain()
    {
        var folder = RunFolder.Create(root, "y", "name: y\n");
        var failed = RunFailedException.Record(folder, new InvalidOperationException("boom"));
        Assert.Contains("failed: boom — no epoch had finished, so there is nothing to resume: start it again", failed.Message);
    }
}
