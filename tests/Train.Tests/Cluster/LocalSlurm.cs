using System.Diagnostics;

namespace AverLab.Train.Tests.Cluster;

/// <summary>A one-node Slurm cluster on localhost (scripts/local-slurm.sh: munged, slurmctld, slurmd, 2 CPUs, generated
/// slurm.conf in a temp folder), shared by the tests of one collection and torn down after them, also when a test
/// failed: the daemons are killed by the pids the script recorded. Started lazily, so a skipped collection starts
/// nothing.</summary>
public sealed class LocalSlurm : IDisposable
{
    private readonly Lazy<string> conf;

    public LocalSlurm()
    {
        Folder = Directory.CreateTempSubdirectory("averlab-slurm-").FullName;
        conf = new Lazy<string>(Start);
    }

    public string Folder { get; }

    /// <summary>The environment a controller process needs to reach the cluster.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SLURM_CONF"] = conf.Value };

    private string Start()
    {
        var (code, output, error) = Script("start");
        if (code != 0) throw new InvalidOperationException($"local-slurm.sh start failed (exit {code}): {output} {error}");
        return Path.Combine(Folder, "slurm.conf");
    }

    private (int, string, string) Script(string command)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(ClusterTools.RepoRoot, "scripts", "local-slurm.sh"), command, Folder, "2" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd(); // the daemons write to their own log files, never to these pipes
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    public void Dispose()
    {
        if (conf.IsValueCreated || File.Exists(Path.Combine(Folder, "munged.pid"))) Script("stop");
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition("slurm")]
public sealed class SlurmCollection : ICollectionFixture<LocalSlurm>;
