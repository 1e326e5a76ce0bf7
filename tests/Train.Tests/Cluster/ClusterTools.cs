using System.Diagnostics;

namespace AverLab.Train.Tests.Cluster;

/// <summary>Finds the cluster tools (scripts/setup.sh installs them) and runs the CLI as a child process, plain, under
/// mpirun, or with a Slurm controller's environment.</summary>
internal static class ClusterTools
{
    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin"])
        .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static string? MissingSlurm =>
        new[] { "munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo" }.FirstOrDefault(b => Which(b) == null) is { } b
            ? $"Slurm is not installed here ({b} not found; bash scripts/setup.sh installs slurm-wlm and munge)" : null;

    public static string? MissingMpi =>
        Which("mpirun") == null || !File.Exists("/usr/lib/x86_64-linux-gnu/libmpi.so.40") && Which("ompi_info") == null
            ? "Open MPI is not installed here (mpirun or libmpi.so.40 not found; bash scripts/setup.sh installs openmpi-bin and libopenmpi-dev)" : null;

    public static string RepoRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "AverLab.sln"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException("AverLab.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string TrainDll => Path.Combine(AppContext.BaseDirectory, "averlab-train.dll");

    public static ProcessStartInfo Cli(IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(TrainDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>mpirun -np N of the CLI on loopback, as root, without binding ranks to cores.</summary>
    public static ProcessStartInfo MpiCli(int ranks, params string[] args)
    {
        var psi = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", TrainDll })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in MpiEnvironment) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>What Open MPI needs in a container: run as root, shared-memory transport without CMA (ptrace is
    /// usually not allowed), TCP on loopback only.</summary>
    public static readonly IReadOnlyDictionary<string, string> MpiEnvironment = new Dictionary<string, string>
    {
        ["OMPI_ALLOW_RUN_AS_ROOT"] = "1", ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1",
        ["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none", ["OMPI_MCA_btl_tcp_if_include"] = "lo",
        ["OMPI_MCA_oob_tcp_if_include"] = "lo", ["OMPI_MCA_rmaps_base_oversubscribe"] = "1",
    };

    public static (int Code, string Stdout, string Stderr) Run(ProcessStartInfo psi, TimeSpan? timeout = null)
    {
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (-1, output.Result, "timed out: " + err.Result);
        }
        p.WaitForExit();
        return (p.ExitCode, output.Result, err.Result);
    }

    /// <summary>Starts a process and kills its whole tree (SIGKILL) once <paramref name="ready"/> holds; fails if it
    /// ends first or the condition never comes.</summary>
    public static void KillWhen(ProcessStartInfo psi, Func<bool> ready, string what)
    {
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline && !p.HasExited && !ready()) Thread.Sleep(100);
        var alive = !p.HasExited;
        var reached = ready();
        p.Kill(entireProcessTree: true);
        p.WaitForExit();
        Assert.True(alive && reached, $"{what}: the process {(alive ? "never got there" : "ended first")}: {output.Result} {err.Result}");
    }
}

/// <summary>A fact that needs Slurm: skipped, with the reason, only where the packages are missing.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (ClusterTools.MissingSlurm is { } why) Skip = why;
        else if (Environment.UserName != "root") Skip = "the local Slurm cluster needs root (slurmd runs jobs as their user)";
    }
}

/// <summary>A fact that needs Open MPI: skipped, with the reason, only where the packages are missing.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (ClusterTools.MissingMpi is { } why) Skip = why;
    }
}
