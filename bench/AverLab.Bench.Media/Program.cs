using System.Diagnostics;
using AverLab.Media.Audio;
using AverLab.Media.Features;

// Usage: AverLab.Bench.Media export <clips.f32> [ravdess-dir]   writes the 100 bench clips (3 s, 48 kHz, float32)
//        AverLab.Bench.Media mfcc <clips.f32>                    prints "media.mfcc averlab=<ms per clip>"
//        AverLab.Bench.Media handcrafted <clips.f32> [audio-dir]  ms per clip of each stage of the 1020-value vector at
//                                                                 22.05 kHz, and of loading (decode + resample) files
//        AverLab.Bench.Media stages <audio-dir> [n] [rounds]      thread CPU ms per clip of each section of the vector
//                                                                 as computed (real files), and of loading them
//        AverLab.Bench.Media vectors <audio-dir> <out.f32> [n]    the vectors of the first n files as float32 (cmp two builds)
//        AverLab.Bench.Media loadcheck <audio-dir> [n]            the loading fast paths (managed FLAC, in-process soxr)
//                                                                 against the ffmpeg processes: identical samples?
// Clips: the first 100 RAVDESS files (offset 0.5 s, 3 s) when the folder exists, else 100 synthetic speech-like
// clips (voiced harmonics with a moving pitch and formant-ish amplitude, plus noise; fixed seed).
const int Clips = 100, Samples = 144000, Rate = 48000;

if (args.Length < 2) { Console.Error.WriteLine("usage: export <clips.f32> [ravdess-dir] | mfcc <clips.f32>"); return 2; }
if (args[0] == "export")
{
    var dir = args.Length > 2 ? args[2] : "";
    var files = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(Clips).ToArray() : [];
    using var output = File.Create(args[1]);
    var source = files.Length == Clips ? "ravdess" : "synthetic";
    var rng = new Random(1234);
    for (var c = 0; c < Clips; c++)
    {
        var clip = new float[Samples];
        if (source == "ravdess")
        {
            var mono = WavReader.Read(files[c]).ToMono();
            var start = Rate / 2;
            mono.AsSpan(start, Math.Min(Samples, Math.Max(0, mono.Length - start))).CopyTo(clip);
        }
        else
        {
            var f0 = 110 + 120 * rng.NextDouble();
            double phase = 0;
            for (var i = 0; i < Samples; i++)
            {
                var t = (double)i / Rate;
                var f = f0 * (1 + 0.15 * Math.Sin(2 * Math.PI * 0.7 * t));
                phase += 2 * Math.PI * f / Rate;
                double v = 0;
                for (var h = 1; h <= 20; h++) v += Math.Sin(h * phase) / h * (1 + Math.Cos(2 * Math.PI * h * f / 1500));
                var envelope = 0.5 + 0.5 * Math.Sin(2 * Math.PI * 2.5 * t);
                clip[i] = (float)(0.05 * envelope * v + 0.005 * (rng.NextDouble() - 0.5));
            }
        }
        var bytes = new byte[Samples * 4];
        Buffer.BlockCopy(clip, 0, bytes, 0, bytes.Length);
        output.Write(bytes);
    }
    Console.WriteLine($"clips={source} count={Clips} samples={Samples}");
    return 0;
}
if (args[0] == "mfcc")
{
    var all = File.ReadAllBytes(args[1]);
    var clips = new float[all.Length / 4 / Samples][];
    for (var c = 0; c < clips.Length; c++)
    {
        clips[c] = new float[Samples];
        Buffer.BlockCopy(all, c * Samples * 4, clips[c], 0, Samples * 4);
    }
    // One thread by construction: a single extractor, called sequentially.
    var extractor = new MfccExtractor(MfccOptions.CnnTransformerSeed);
    var output = new float[40 * 282];
    for (var w = 0; w < 3; w++)
        foreach (var clip in clips) extractor.Extract(clip, output);
    var perClip = new List<double>();
    for (var rep = 0; rep < 7; rep++)
    {
        var sw = Stopwatch.StartNew();
        foreach (var clip in clips) extractor.Extract(clip, output);
        perClip.Add(sw.Elapsed.TotalMilliseconds / clips.Length);
    }
    perClip.Sort();
    Console.WriteLine($"media.mfcc averlab={perClip[perClip.Count / 2]:F4} unit=ms clips={clips.Length}");
    return 0;
}
if (args[0] == "loadcheck")
{
    LoadCheck.Run(args[1], args.Length > 2 ? int.Parse(args[2]) : 100);
    return 0;
}
if (args[0] == "stages")
{
    HandcraftedProfile.Stages(args[1], args.Length > 2 ? int.Parse(args[2]) : 60, args.Length > 3 ? int.Parse(args[3]) : 3);
    return 0;
}
if (args[0] == "vectors" && args.Length > 2)
{
    HandcraftedProfile.Vectors(args[1], args[2], args.Length > 3 ? int.Parse(args[3]) : 240);
    return 0;
}
if (args[0] == "handcrafted")
{
    HandcraftedStages.Run(args[1], args.Length > 2 ? args[2] : null, Clips, Samples, Rate);
    return 0;
}
Console.Error.WriteLine($"unknown command {args[0]}");
return 2;
