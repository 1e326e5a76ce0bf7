using System.Diagnostics;
using AverLab.Media.Audio;
using AverLab.Media.Features;

/// <summary>Where the hand-crafted front end spends its time: each stage of <see cref="HandcraftedFeatures.Extract"/>
/// timed on its own over the bench clips (resampled once to 22.05 kHz), one thread; then loading real files.</summary>
internal static class HandcraftedStages
{
    public static void Run(string clipsPath, string? audioDir, int clips, int samples, int rate)
    {
        const int sr = 22050, nFft = 2048, hop = 512;
        var all = File.ReadAllBytes(clipsPath);
        var ys = new List<float[]>();
        for (var c = 0; c < Math.Min(clips, 30); c++)
        {
            var clip = new float[samples];
            Buffer.BlockCopy(all, c * samples * 4, clip, 0, samples * 4);
            ys.Add(Resampler.Resample(new AudioSignal([clip], rate), sr).Channels[0]);
        }
        var stft = new StftOptions { NFft = nFft, HopLength = hop };
        var stages = new (string Name, Action<float[]> Run)[]
        {
            ("total", y => HandcraftedFeatures.Extract(y, sr)),
            ("stft", y => new Stft(stft).Spectrogram(y, 1.0)),
            ("frame_stats", y => { var m = new Stft(stft).Spectrogram(y, 1.0); TimeDomain.ZeroCrossingRate(y, nFft, hop); TimeDomain.Rms(y, nFft, hop);
                SpectralFeatures.Centroid(m, sr); SpectralFeatures.Bandwidth(m, sr); SpectralFeatures.Rolloff(m, sr); SpectralFeatures.Flatness(m); }),
            ("contrast", y => SpectralFeatures.Contrast(new Stft(stft).Spectrogram(y, 1.0), sr)),
            ("chroma", y => { var m = new Stft(stft).Spectrogram(y, 1.0); Chroma.FromPowerSpectrogram(new FeatureMatrix(m.Rows, m.Cols, m.Data.Select(v => v * v).ToArray()), sr); }),
            ("mfcc+deltas", y => { var mf = new MfccExtractor(new MfccOptions { NMfcc = 40, Mel = new MelSpectrogramOptions { SampleRate = sr, NMels = 128, Stft = stft } }).Extract(y);
                Deltas.Compute(mf, 9, 1); Deltas.Compute(mf, 9, 2); }),
            ("onset+beats", y => { var o = Rhythm.OnsetStrength(y, sr, nFft, hop); Rhythm.BeatTrack(o, sr, hop); }),
            ("hpss", y => Hpss.Separate(new Stft(stft).Spectrogram(y, 1.0))),
            ("hpss.medians", y =>
            {
                var m = new Stft(stft).Spectrogram(y, 1.0);
                var line = new float[Math.Max(m.Rows, m.Cols)];
                var output = new float[line.Length];
                var win = new float[31];
                for (var r = 0; r < m.Rows; r++) Hpss.RunningMedian(m.Row(r), win, output);
                for (var c = 0; c < m.Cols; c++)
                {
                    for (var r = 0; r < m.Rows; r++) line[r] = m[r, c];
                    Hpss.RunningMedian(line.AsSpan(0, m.Rows), win, output);
                }
            }),
            ("mel_db", y => Decibels.PowerToDb(new MelSpectrogramExtractor(new MelSpectrogramOptions { SampleRate = sr, Stft = stft }).Extract(y))),
        };
        foreach (var (name, run) in stages)
        {
            run(ys[0]);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            foreach (var y in ys) run(y);
            // CPU time beside wall time: on the shared machine the wall figure depends on the others' load.
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / ys.Count;
            Console.WriteLine($"media.handcrafted.{name} averlab={sw.Elapsed.TotalMilliseconds / ys.Count:F2} unit=ms cpu_ms={cpuMs:F2} clips={ys.Count}");
        }
        if (audioDir is null || !Directory.Exists(audioDir)) return;
        var files = Directory.GetFiles(audioDir, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".wav") || f.EndsWith(".flac")).Order(StringComparer.Ordinal).Take(30).ToArray();
        var load = new AudioLoadOptions { SampleRate = sr, Offset = 0.5, Duration = 3.0 };
        AudioLoader.Load(files[0], load);
        var clock = Stopwatch.StartNew();
        foreach (var f in files) AudioLoader.Load(f, load);
        Console.WriteLine($"media.handcrafted.load averlab={clock.Elapsed.TotalMilliseconds / files.Length:F2} unit=ms files={files.Length}");
    }
}
