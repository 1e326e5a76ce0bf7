using System.Diagnostics;
using AverLab.Data.Features;
using AverLab.FrontEnds;

namespace AverLab.Bench;

/// <summary>Feature-cache fills as a training run does them (every core, load + features + shard writes), into a fresh
/// cache: clips per second of the 1020-value hand-crafted front end (22.05 kHz, offset 0.5 s, 3 s) and, beside it,
/// of the MFCC front end (16 kHz, 3 s).</summary>
public static class FrontEndFill
{
    /// <summary>The 1-minute load average (/proc/loadavg): the machine is shared, the figure says how busy it was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    public static void Run(string[] args)
    {
        var dir = args.Length > 0 ? args[0] : throw new ArgumentException("usage: frontends <audio folder> [max files]");
        var max = args.Length > 1 ? int.Parse(args[1]) : 200;
        var files = Directory.GetFiles(dir, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".flac", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).Take(max).ToList();
        var configs = new (string Name, FeatureConfig Config)[]
        {
            ("handcrafted", new FeatureConfig { Kind = FeatureKind.Handcrafted, SampleRate = 22050, Offset = 0.5, Duration = 3 }),
            ("mfcc", new FeatureConfig { Kind = FeatureKind.Mfcc, SampleRate = 16000, Duration = 3 }),
        };
        foreach (var (name, config) in configs)
        {
            var root = Directory.CreateTempSubdirectory("averlab-bench-fill-").FullName;
            try
            {
                var cache = new FeatureCache(root, FrontEnd.Create(config).Primary);
                var load = LoadAverage();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var result = cache.Fill(files);
                var seconds = clock.Elapsed.TotalSeconds;
                // This process's CPU only: ffmpeg children (where a file still needs one) are not counted.
                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / files.Count;
                Console.WriteLine(FormattableString.Invariant(
                    $"frontend.{name} averlab={files.Count / seconds:F1} unit=clips/s files={files.Count} failed={result.Failed.Count} threads={Environment.ProcessorCount} cpu_ms_per_clip={cpuMs:F1} load_before={load} load_after={LoadAverage()}"));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
