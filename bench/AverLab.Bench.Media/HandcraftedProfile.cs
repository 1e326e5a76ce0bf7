using System.Runtime.InteropServices;
using AverLab.Media.Audio;
using AverLab.Media.Features;

/// <summary>Per-section CPU of the hand-crafted vector as the front end computes it (real files, 22.05 kHz, offset
/// 0.5 s, 3 s, one thread), read from the thread's own CPU clock so that other processes on the shared machine count
/// less than in wall or process time; and the vectors themselves as float32, to compare two builds byte for byte.</summary>
internal static partial class HandcraftedProfile
{
    private static readonly AudioLoadOptions Load = new() { SampleRate = 22050, Offset = 0.5, Duration = 3.0 };

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds, Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec value);

    /// <summary>CPU time of the calling thread in ms (CLOCK_THREAD_CPUTIME_ID).</summary>
    private static double ThreadCpuMs() => ClockGetTime(3, out var t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds / 1e6 : double.NaN;

    private static string[] Files(string dir, int n) =>
        Directory.GetFiles(dir, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".flac", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).Take(n).ToArray();

    public static void Stages(string dir, int n, int rounds)
    {
        var files = Files(dir, n);
        var clips = files.Select(f => AudioLoader.Load(f, Load).ToMono()).ToArray();
        foreach (var y in clips.Take(10)) HandcraftedFeatures.Extract(y, Load.SampleRate!.Value); // JIT, tiering
        var stages = new Dictionary<string, List<double>>();
        void Add(string name, double ms) { if (!stages.TryGetValue(name, out var l)) stages[name] = l = []; l.Add(ms); }
        for (var r = 0; r < rounds; r++)
        {
            var sums = new Dictionary<string, double>();
            var start = ThreadCpuMs();
            foreach (var f in files) AudioLoader.Load(f, Load);
            sums["load"] = ThreadCpuMs() - start;
            start = ThreadCpuMs();
            foreach (var f in files) AudioLoader.Load(f, Load with { SampleRate = null });
            sums["load.without_resampling"] = ThreadCpuMs() - start;
            var total = ThreadCpuMs();
            foreach (var y in clips)
            {
                var last = ThreadCpuMs();
                HandcraftedFeatures.Extract(y, Load.SampleRate!.Value, name =>
                {
                    var now = ThreadCpuMs();
                    sums[name] = sums.GetValueOrDefault(name) + now - last;
                    last = now;
                });
            }
            sums["vector"] = ThreadCpuMs() - total;
            // The median filters alone (inside "hpss"), on each clip's magnitude spectrogram.
            var stft = new Stft(new StftOptions { NFft = 2048, HopLength = 512 });
            var mags = clips.Take(10).Select(y => stft.Spectrogram(y, 1.0)).ToArray();
            var h = new float[mags.Max(m => m.Data.Length)];
            var p = new float[h.Length];
            start = ThreadCpuMs();
            foreach (var m in mags) Hpss.MedianFilters(m, 31, h, p);
            sums["hpss.medians"] = (ThreadCpuMs() - start) * files.Length / mags.Length;
            foreach (var (name, ms) in sums) Add(name, ms / files.Length);
        }
        // The round with the least CPU per stage: the figure least disturbed by the other work on the machine.
        foreach (var (name, ms) in stages)
            Console.WriteLine(FormattableString.Invariant($"media.handcrafted.cpu.{name} min_ms={ms.Min():F2} median_ms={ms.Order().ElementAt(ms.Count / 2):F2} clips={files.Length} rounds={rounds}"));
    }

    public static void Vectors(string dir, string output, int n)
    {
        var files = Files(dir, n);
        using var o = File.Create(output);
        foreach (var f in files)
        {
            var v = HandcraftedFeatures.Extract(AudioLoader.Load(f, Load).ToMono(), Load.SampleRate!.Value);
            o.Write(MemoryMarshal.AsBytes(v.AsSpan()));
        }
        Console.WriteLine($"media.handcrafted.vectors files={files.Length} values={files.Length * HandcraftedFeatures.Length} output={output}");
    }
}
