using System.Diagnostics;
using System.Globalization;
using System.Text;
using AverLab.Data.Corpora;
using AverLab.Media;
using AverLab.Media.Audio;

namespace AverLab.Data.Synthetic;

/// <summary>Generates AverLab's synthetic corpus in the real corpora's formats:
/// <code>
/// out/ravdess/Actor_01/03-01-EE-II-SS-RR-01.wav   audio-only speech, mono PCM16 at 16 or 48 kHz, ~1.8–2.8 s
/// out/ravdess/Actor_01/01-01-EE-01-01-01-01.mp4   audio-visual: H.264 96x96 at 10 fps + AAC, same utterance
/// out/fer2013/fer2013.csv                          emotion,pixels,Usage with 48x48 grayscale faces
/// out/synthetic.txt                                the options used
/// </code>
/// Deterministic: every file depends only on the seed and its own name (per-item seeds), so thread timing never
/// changes a byte of the WAVs or the CSV. Cues follow <see cref="VoiceCue"/> and <see cref="FaceCue"/>, with
/// per-actor traits (<see cref="SyntheticActor"/>), token noise and head pose jitter.</summary>
public static class SyntheticCorpus
{
    public static SyntheticCorpusResult Generate(string outDir, SyntheticCorpusOptions? options = null, CancellationToken cancel = default)
    {
        options ??= new SyntheticCorpusOptions();
        if (options.Actors is < 1 or > 99) throw new ArgumentOutOfRangeException(nameof(options), options.Actors, "Actors must be in 1..99");
        if (options.SampleRate is not (16000 or 48000)) throw new ArgumentOutOfRangeException(nameof(options), options.SampleRate, "SampleRate must be 16000 or 48000");
        var clock = Stopwatch.StartNew();
        var ravdess = Path.Combine(outDir, "ravdess");
        Directory.CreateDirectory(ravdess);
        var actors = Enumerable.Range(1, options.Actors).Select(a => SyntheticActor.Create(a, options.Seed)).ToArray();
        var audioJobs = new List<RavdessName>();
        var videoJobs = new List<RavdessName>();
        foreach (var a in actors)
            for (var e = 1; e <= 8; e++)
            {
                for (var intensity = 1; intensity <= (e == 1 ? 1 : 2); intensity++)
                    for (var st = 1; st <= (options.AllCombinations ? 2 : 1); st++)
                        for (var rep = 1; rep <= (options.AllCombinations ? 2 : 1); rep++)
                        {
                            audioJobs.Add(new RavdessName(3, 1, e, intensity, st, rep, a.Id));
                            if (options.Video && options.VideoAllCombinations) videoJobs.Add(new RavdessName(1, 1, e, intensity, st, rep, a.Id));
                        }
                if (options.Video && !options.VideoAllCombinations) videoJobs.Add(new RavdessName(1, 1, e, 1, 1, 1, a.Id));
            }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancel };
        // FER rows in chunks of 50 so they spread over the cores too; each row has its own seed.
        var ferChunks = Enumerable.Range(0, 7).SelectMany(c => Enumerable.Range(0, (options.FerPerClass + 49) / 50).Select(k => new FerChunk(c, k * 50, Math.Min(options.FerPerClass, k * 50 + 50)))).ToList();
        var ferRows = new System.Collections.Concurrent.ConcurrentBag<(int order, string line)>();
        var subjects = Enumerable.Range(101, 40).Select(id => SyntheticActor.Create(id, options.Seed)).ToArray();
        // Videos first: each is an ffmpeg process, the slowest items, so they start while the rest fill the cores.
        Parallel.ForEach(videoJobs.Cast<object>().Concat(audioJobs).Concat(ferChunks), parallel, job =>
        {
            switch (job)
            {
                case RavdessName { Modality: 3 } n: WriteWav(ravdess, actors[n.Actor - 1], n, options); break;
                case RavdessName n: WriteVideo(ravdess, actors[n.Actor - 1], n, options); break;
                case FerChunk chunk:
                    for (var i = chunk.From; i < chunk.To; i++) ferRows.Add(FerRow(subjects, chunk.Class, i, options.Seed));
                    break;
            }
        });
        if (options.FerPerClass > 0)
        {
            var csvPath = Path.Combine(outDir, "fer2013", "fer2013.csv");
            Directory.CreateDirectory(Path.GetDirectoryName(csvPath)!);
            var text = new StringBuilder("emotion,pixels,Usage\n");
            foreach (var (_, line) in ferRows.OrderBy(x => x.order).ThenBy(x => x.line, StringComparer.Ordinal)) text.Append(line).Append('\n');
            AverLab.IO.AtomicFile.WriteAllText(csvPath, text.ToString());
        }
        File.WriteAllText(Path.Combine(outDir, "synthetic.txt"),
            $"AverLab synthetic corpus\nseed={options.Seed}\nactors={options.Actors}\nsample_rate={options.SampleRate}\n" +
            $"all_combinations={options.AllCombinations}\nvideo={options.Video} video_all={options.VideoAllCombinations} size={options.VideoSize} fps={options.VideoFps}\n" +
            $"fer_per_class={options.FerPerClass}\n");
        return new SyntheticCorpusResult(ravdess, options.FerPerClass > 0 ? Path.Combine(outDir, "fer2013", "fer2013.csv") : null,
            audioJobs.Count, videoJobs.Count, options.FerPerClass * 7, clock.Elapsed);
    }

    private static Random ItemRandom(SyntheticCorpusOptions o, RavdessName n) =>
        new(SeedMix.Of(o.Seed, n.Modality, n.EmotionCode, n.Intensity, n.Statement, n.Repetition, n.Actor));

    private static VoiceCue CueOf(RavdessName n) => VoiceCue.For(n.Emotion).Intensify(n.Intensity == 2 ? 1.4 : 1.0);

    private static void WriteWav(string root, SyntheticActor actor, RavdessName n, SyntheticCorpusOptions o)
    {
        var u = VoiceSynth.Synthesize(actor, CueOf(n), n.Statement, o.SampleRate, ItemRandom(o, n));
        WavWriter.Write(Path.Combine(root, $"Actor_{n.Actor:00}", n.FileStem + ".wav"), u.Samples, u.SampleRate);
    }

    private static void WriteVideo(string root, SyntheticActor actor, RavdessName n, SyntheticCorpusOptions o)
    {
        var r = ItemRandom(o, n);
        var u = VoiceSynth.Synthesize(actor, CueOf(n), n.Statement, o.SampleRate, r);
        var path = Path.Combine(root, $"Actor_{n.Actor:00}", n.FileStem + ".mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var wav = path + $".{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.wav";
        var tmp = path + $".{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        var duration = (double)u.Samples.Length / u.SampleRate;
        var frames = (int)Math.Ceiling(duration * o.VideoFps);
        var face = FaceCue.For(n.Emotion).Jitter(r, 0.5);
        var basePose = FaceRenderer.RandomPose(r, 1);
        var frameBytes = new byte[frames][];
        for (var f = 0; f < frames; f++)
        {
            var t = f / (double)o.VideoFps;
            var onset = Math.Clamp(t / 0.4, 0, 1);
            var k = onset * onset * (3 - 2 * onset);
            var envAt = u.Envelope[Math.Min(u.Envelope.Length - 1, (int)(t * u.SampleRate))];
            var cue = face.Blend(k) with { MouthOpen = face.Blend(k).MouthOpen + 0.10 * envAt };
            var pose = basePose with
            {
                CenterX = basePose.CenterX + 0.01 * Math.Sin(2 * Math.PI * 0.5 * t),
                CenterY = basePose.CenterY + 0.01 * Math.Cos(2 * Math.PI * 0.4 * t),
            };
            frameBytes[f] = FaceRenderer.Render(actor, cue, pose, o.VideoSize, o.VideoSize, rgb: true, r, noise: 3);
        }
        try
        {
            WavWriter.Write(wav, u.Samples, u.SampleRate);
            var size = $"{o.VideoSize}x{o.VideoSize}";
            Ffmpeg.Run(Ffmpeg.FfmpegPath,
            [
                "-hide_banner", "-loglevel", "error", "-y",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", size, "-r", o.VideoFps.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0",
                "-i", wav,
                "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-threads", "1",
                "-c:a", "aac", "-b:a", "48k", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
                "-f", "mp4", tmp,
            ], path, s => s.CopyTo(Stream.Null), s =>
            {
                foreach (var fb in frameBytes) s.Write(fb);
            });
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            File.Delete(wav);
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    private sealed record FerChunk(int Class, int From, int To);

    /// <summary>One FER2013 CSV line (class, 2304 pixels, Usage) and a random sort key that shuffles the rows.</summary>
    private static (int order, string line) FerRow(SyntheticActor[] subjects, int c, int i, int seed)
    {
        var r = new Random(SeedMix.Of(seed, 7777, c, i));
        var subject = subjects[r.Next(subjects.Length)];
        var cue = FaceCue.For(Fer2013Corpus.ClassEmotions[c]).Blend(0.8 + 0.4 * r.NextDouble()).Jitter(r, 1);
        // FER2013 faces are tight, roughly aligned crops: a larger face, smaller pose jitter than the videos.
        var pose = FaceRenderer.RandomPose(r, 0.6);
        pose = pose with { Scale = pose.Scale * 1.2 };
        var pixels = FaceRenderer.Render(subject, cue, pose, 48, 48, rgb: false, r);
        var draw = r.NextDouble();
        var usage = draw < 0.8 ? "Training" : draw < 0.9 ? "PublicTest" : "PrivateTest";
        var sb = new StringBuilder(pixels.Length * 4 + 32);
        sb.Append(c.ToString(CultureInfo.InvariantCulture)).Append(',');
        for (var p = 0; p < pixels.Length; p++)
        {
            if (p > 0) sb.Append(' ');
            sb.Append(pixels[p]);
        }
        sb.Append(',').Append(usage);
        return (r.Next(), sb.ToString());
    }
}
