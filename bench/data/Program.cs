// Data bench: prints machine-readable lines "bench.data <name> key=value ...".
//  1. synthetic corpus generation (default options, video included) — must stay under 30 s on 2 cores;
//  2. MFCC preprocessing throughput (FeatureCache fill, all worker threads, fresh cache) on the synthetic corpus at
//     16 kHz, and on ../shared/data/ravdess-speech-sample (48 kHz) with the CNN+Transformer seed's MFCC settings;
//  3. the projected time for the 1,440-clip RAVDESS speech set with those settings (must be < 10 s on 2 cores).
using System.Diagnostics;
using System.Globalization;
using AverLab.Data.Corpora;
using AverLab.Data.Features;
using AverLab.Data.Synthetic;
using AverLab.Media.Features;
using Spectre.Console;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var threads = Environment.ProcessorCount;
string? outDir = null;
var sample = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/ravdess-speech-sample"));
for (var i = 0; i < args.Length; i++)
    switch (args[i])
    {
        case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--out": outDir = args[++i]; break;
        case "--sample": sample = args[++i]; break;
        default: Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: [--threads N] [--out DIR] [--sample DIR]"); return 2;
    }
if (!Directory.Exists(sample) && Directory.Exists("/work/shared/data/ravdess-speech-sample")) sample = "/work/shared/data/ravdess-speech-sample";
var root = outDir ?? Path.Combine(Path.GetTempPath(), "averlab-bench-data-" + Environment.ProcessId);
Console.WriteLine($"bench.data env threads={threads} cores={Environment.ProcessorCount} root={root}");
try
{
    // 1. Generation.
    var synthDir = Path.Combine(root, "synthetic");
    if (Directory.Exists(synthDir)) Directory.Delete(synthDir, true);
    var cpu0 = CpuSeconds();
    var gen = SyntheticCorpus.Generate(synthDir, new SyntheticCorpusOptions { Parallelism = threads });
    var genCpu = CpuSeconds() - cpu0;
    Console.WriteLine($"bench.data synth seconds={gen.Elapsed.TotalSeconds:F2} cpu_seconds={genCpu:F2} idle_{threads}core_seconds={genCpu / threads:F2} wavs={gen.AudioFiles} mp4s={gen.VideoFiles} fer_rows={gen.FerRows} limit_seconds=30");

    // 2. Throughput on the synthetic corpus (16 kHz MFCC settings of the tests).
    var synthItems = RavdessCorpus.Read(gen.RavdessRoot).Items.Where(i => i.Kind == MediaKind.Audio).Select(i => i.Path).ToList();
    var synthMfcc = new MfccOptions { NMfcc = 40, Mel = new MelSpectrogramOptions { SampleRate = 16000, NMels = 64, Stft = new StftOptions { NFft = 512, HopLength = 160, WinLength = 400 } } };
    Fill("synthetic-16k-mfcc40", synthItems, synthMfcc, Path.Combine(root, "cache-synth"));

    // 3. The real sample with the CNN+Transformer settings (48 kHz, n_mfcc 40, n_fft 1024, hop 512, 128 mels).
    List<string> seedItems;
    string seedName;
    if (Directory.Exists(sample))
    {
        seedItems = RavdessCorpus.Read(sample).Items.Select(i => i.Path).ToList();
        seedName = "ravdess-speech-sample-48k";
    }
    else
    {
        Console.WriteLine($"bench.data note sample={sample} absent; projecting from a 48 kHz synthetic corpus instead");
        var g48 = SyntheticCorpus.Generate(Path.Combine(root, "synthetic48"), new SyntheticCorpusOptions { Actors = 2, Video = false, FerPerClass = 0, SampleRate = 48000, Parallelism = threads });
        seedItems = RavdessCorpus.Read(g48.RavdessRoot).Items.Select(i => i.Path).ToList();
        seedName = "synthetic-48k";
    }
    var (rate, cpuRate) = Fill($"{seedName}-cnn-transformer-mfcc", seedItems, MfccOptions.CnnTransformerSeed, Path.Combine(root, "cache-seed"));
    var projected = 1440 / rate;
    var projectedIdle = 1440 / cpuRate / threads;
    Console.WriteLine($"bench.data projection clips=1440 settings=cnn-transformer-mfcc threads={threads} seconds={projected:F2} idle_{threads}core_seconds={projectedIdle:F2} limit_seconds=10");
    return 0;
}
finally
{
    if (outDir == null && Directory.Exists(root)) Directory.Delete(root, true);
}

// CPU seconds of this process and its waited-for children (ffmpeg), from /proc/self/stat. On a shared, loaded
// machine wall time overstates the cost; CPU seconds / threads is what the step takes on an idle machine with that
// many cores (the work parallelizes fully: one item per worker).
static double CpuSeconds()
{
    if (!File.Exists("/proc/self/stat")) return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    // Fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 after the ") " split, in clock ticks (100 Hz).
    return (long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14])) / 100.0;
}

(double wall, double cpu) Fill(string name, List<string> items, MfccOptions options, string cacheRoot)
{
    using var extractor = new MfccFeatureExtractor(options);
    var cache = new FeatureCache(cacheRoot, extractor);
    FeatureCacheResult? result = null;
    var clock = Stopwatch.StartNew();
    var cpuStart = CpuSeconds();
    var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    console.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
        .Start(ctx =>
        {
            var task = ctx.AddTask(name, maxValue: items.Count);
            result = cache.Fill(items, new FeatureCacheOptions { Parallelism = threads },
                new Progress<FeatureCacheProgress>(p =>
                {
                    task.Value = p.Done;
                    task.Description = $"{name} {p.ItemsPerSecond:F0} items/s";
                }));
            task.Value = items.Count;
        });
    var seconds = clock.Elapsed.TotalSeconds;
    var cpu = CpuSeconds() - cpuStart;
    var itemsPerSecond = result!.Computed / seconds;
    var audioSeconds = items.Sum(p => (new FileInfo(p).Length - 44) / 2.0 / options.Mel.SampleRate);
    Console.WriteLine($"bench.data preprocess corpus={name} items={result.Computed} failed={result.Failed.Count} seconds={seconds:F2} items_per_s={itemsPerSecond:F1} cpu_seconds={cpu:F2} items_per_cpu_s={result.Computed / cpu:F1} audio_x_realtime={audioSeconds / seconds:F0}");
    // A second fill must compute nothing.
    var again = new FeatureCache(cacheRoot, extractor).Fill(items, new FeatureCacheOptions { Parallelism = threads });
    Console.WriteLine($"bench.data cache-rerun corpus={name} computed={again.Computed} reused={again.Reused}");
    return (itemsPerSecond, result.Computed / cpu);
}
