using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>run.json's facts about where and how a run ran: seed, the git checkout it came from, versions, threads.</summary>
public static class RunEnvironment
{
    /// <summary>Where to look for the git checkout a run comes from, in order: the config's folder (a config inside a
    /// checkout records that checkout), then the folder of the running program (built from a checkout). Never the
    /// current directory, which says nothing about the code or the config.</summary>
    public static IReadOnlyList<string> SourceDirectories(string? configFile)
    {
        var dirs = new List<string>();
        if (!string.IsNullOrEmpty(configFile) && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(configFile)) is { } c && Directory.Exists(c))
            dirs.Add(c);
        dirs.Add(AppContext.BaseDirectory);
        return dirs;
    }

    /// <summary>Facts about where and how the run ran: seed, git commit (+ dirty flag) of the first of
    /// <paramref name="sourceDirs"/> inside a git checkout, versions, threads.</summary>
    public static RunRecord Environment(long seed, int threads, string manifestHash, IReadOnlyList<string>? sourceDirs = null)
    {
        var (commit, dirty) = Git(sourceDirs ?? SourceDirectories(null));
        return new RunRecord
        {
            Seed = seed,
            GitCommit = commit,
            GitDirty = dirty,
            AverLab = typeof(RunEnvironment).Assembly.GetName().Version?.ToString() ?? "unknown",
            TorchSharp = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            LibTorch = TorchSharp.torch.__version__,
            DotNet = System.Environment.Version.ToString(),
            Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            Threads = threads,
            MklDispatch = AverLab.Models.Engine.MklDispatch,
            FinalizerGuard = AverLab.TorchRuntime.FinalizerGuard.State,
            Processors = System.Environment.ProcessorCount,
            DataManifestSha256 = manifestHash,
            StartedUtc = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The HEAD commit and dirty flag of the checkout holding the first of <paramref name="dirs"/> that is in
    /// one ("unknown (not a git checkout)" when none is).</summary>
    public static (string commit, bool? dirty) Git(IReadOnlyList<string> dirs)
    {
        string Run(string dir, params string[] args)
        {
            var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-C");
            psi.ArgumentList.Add(dir);
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var error = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            _ = error.Result;
            return p.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException(string.Join(' ', args));
        }
        foreach (var dir in dirs)
        {
            try
            {
                var commit = Run(dir, "rev-parse", "HEAD");
                var dirty = Run(dir, "status", "--porcelain", "--untracked-files=no").Length > 0;
                return (commit, dirty);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Not a checkout (or no git): try the next place.
            }
        }
        return ("unknown (not a git checkout)", null);
    }
}
