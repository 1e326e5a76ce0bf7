using AverLab.Data.Corpora;
using AverLab.Explanations;
using AverLab.Data.Features;
using AverLab.Media;
using AverLab.Media.Audio;
using AverLab.Media.Faces;
using AverLab.Media.Images;
using AverLab.Media.Video;
using AverLab.FrontEnds;

namespace AverLab.Inference;

public enum AnalysisMode { Auto, Audio, Image, Video, Combined }

/// <summary>Settings of an analysis.</summary>
public sealed record AnalysisOptions
{
    public AnalysisMode Mode { get; init; } = AnalysisMode.Auto;
    /// <summary>Audio window in seconds (null: the model's clip duration).</summary>
    public double? Window { get; init; }
    /// <summary>Frames per second analysed in videos.</summary>
    public double Fps { get; init; } = 4;
    /// <summary>Late-fusion weight of the audio model (the face model gets 1 − this).</summary>
    public double AudioWeight { get; init; } = 0.5;
    /// <summary>Write a Grad-CAM PNG per detected face of an image into this folder (face models only); for audio
    /// analyses, explain the first <see cref="ExplainWindows"/> windows here (<see cref="AnalysisResult.Explanations"/>).</summary>
    public string? ExplainDir { get; init; }
    /// <summary>Audio windows explained when <see cref="ExplainDir"/> is set (from the start).</summary>
    public int ExplainWindows { get; init; } = 4;
    /// <summary>Permutations of the Shapley values of a feature-vector model's window (antithetic pairs).</summary>
    public int ExplainPermutations { get; init; } = 16;
    /// <summary>Videos: write a JPEG of analysed frames with a face into this folder (at most <see cref="MaxFrames"/>,
    /// evenly spread, <see cref="FrameWidth"/> wide), named in the face-timeline entry's <see cref="TimelineEntry.Frame"/>.</summary>
    public string? FramesDir { get; init; }
    /// <summary>Most frames written to <see cref="FramesDir"/>.</summary>
    public int MaxFrames { get; init; } = 48;
    /// <summary>Width of the frames written to <see cref="FramesDir"/> (never wider than the video).</summary>
    public int FrameWidth { get; init; } = 192;
    /// <summary>Called with the fraction of the analysis done (0 to 1), one call at a time, from the analysing thread (or,
    /// for a video with an audio and a face model, from either of its two branches' threads).</summary>
    public Action<double>? Progress { get; init; }
}

/// <summary>Counts units of work (audio windows, video frames) into a fraction for <see cref="AnalysisOptions.Progress"/>;
/// an estimate of the total that turns out short stops just below 1 until <see cref="Finish"/>.</summary>
internal sealed class ProgressMeter(Action<double>? report, double total)
{
    // A video's audio windows and frames are counted from two threads (AnalyzeVideo): one report at a time, in order.
    private readonly Lock gate = new();
    private double done;

    public void Step()
    {
        lock (gate)
        {
            done++;
            report?.Invoke(Math.Min(0.99, done / Math.Max(1, total)));
        }
    }

    public void Finish()
    {
        lock (gate) report?.Invoke(1);
    }
}

/// <summary>Analyses a file with an audio model and/or a face model: per-window audio emotions, per-face and
/// per-frame face emotions, and a late fusion of both on video. A clip model (<see cref="Predictor.TakesClips"/>:
/// the fusion LSTM, the AV transformer, LRCN/ConvLSTM) analyses a video window by window through its own training
/// front end instead.</summary>
public sealed class Analyzer(Predictor? audio, Predictor? face, Predictor? clip = null) : IDisposable
{
    private readonly HaarFaceDetector? detector = face != null ? new HaarFaceDetector() : null;

    private static readonly string[] AudioExtensions = [".wav", ".mp3", ".flac", ".ogg", ".m4a", ".aac", ".opus"];

    /// <summary>True for the image files analysed as images (by extension).</summary>
    public static bool IsImageFile(string path) => ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>True for the audio containers analysed as audio (by extension).</summary>
    public static bool IsAudioFile(string path) => AudioExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];
    private static readonly string[] VideoExtensions = [".mp4", ".avi", ".flv", ".mov", ".mkv", ".webm"];

    public static bool IsSupported(string path) =>
        AudioExtensions.Concat(ImageExtensions).Concat(VideoExtensions).Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>The mode a file gets with --mode auto: by extension, then by content for videos (combined when it
    /// has an audio track and both models are given).</summary>
    public AnalysisMode Detect(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (AudioExtensions.Contains(ext)) return AnalysisMode.Audio;
        if (ImageExtensions.Contains(ext)) return AnalysisMode.Image;
        if (VideoExtensions.Contains(ext))
            return clip != null ? (clip.TakesAudioVisualClips ? AnalysisMode.Combined : AnalysisMode.Video)
                : audio != null && face != null && VideoProbe.Read(path).HasAudio ? AnalysisMode.Combined : AnalysisMode.Video;
        throw new MediaFormatException(path, $"unsupported file type '{ext}' (audio: {string.Join(" ", AudioExtensions)}; images: {string.Join(" ", ImageExtensions)}; video: {string.Join(" ", VideoExtensions)})");
    }

    public AnalysisResult Analyze(string path, AnalysisOptions options)
    {
        if (!File.Exists(path)) throw new MediaFormatException(path, "no such file");
        var mode = options.Mode == AnalysisMode.Auto ? Detect(path) : options.Mode;
        options.Progress?.Invoke(0);
        var result = mode switch
        {
            AnalysisMode.Audio => AnalyzeAudio(path, options),
            AnalysisMode.Image => AnalyzeImage(path, options.ExplainDir),
            _ when clip != null && audio == null && face == null => AnalyzeClips(path, options, mode == AnalysisMode.Combined),
            _ => AnalyzeVideo(path, options, mode == AnalysisMode.Combined),
        };
        options.Progress?.Invoke(1);
        return result;
    }

    private Predictor RequireAudio(string path) => audio ?? throw new ArgumentException($"{path}: audio analysis needs an audio model (--model of an audio run, or --audio-model)");
    private Predictor RequireFace(string path) => face ?? throw new ArgumentException($"{path}: face analysis needs a face model (--model of a face run, or --face-model)");

    /// <summary>How many windows <see cref="AudioWindows"/> makes of <paramref name="samples"/> samples.</summary>
    private static int WindowCount(Predictor p, long samples, AnalysisOptions options)
    {
        var n = Math.Max(1, (long)Math.Round((options.Window ?? p.Card.Features.Duration) * p.Card.Features.SampleRate));
        var tail = samples % n;
        return (int)Math.Max(1, samples / n + (tail >= n / 4 ? 1 : 0));
    }

    private IReadOnlyList<TimelineEntry> AudioWindows(string path, float[] mono, AnalysisOptions options, List<Explanation>? explanations = null,
        ProgressMeter? progress = null)
    {
        var p = RequireAudio(path);
        var f = p.Card.Features;
        // The run's own front end on each window (MFCC image, MFCC + deltas, hand-crafted vector, MFCC statistics).
        var front = FrontEnd.Create(f);
        using var _ = front.Primary as IDisposable;
        var extractor = front.Primary as ISampleFeatureExtractor
                        ?? throw new NotSupportedException($"{p.Source}: features.kind {f.Kind} does not compute features from an audio window");
        var window = options.Window ?? f.Duration;
        var n = Math.Max(1, (int)Math.Round(window * f.SampleRate));
        var entries = new List<TimelineEntry>();
        for (var start = 0; start == 0 || start < mono.Length; start += n)
        {
            var len = Math.Min(n, mono.Length - start);
            if (len <= 0 && start > 0) break;
            // A tail under a quarter window (a container's audio padding, a file cut mid-window) is too short for some
            // front ends (hand-crafted deltas need 9 frames) and says little: it is left out, not predicted.
            if (start > 0 && len < n / 4) break;
            var chunk = mono.AsSpan(start, Math.Max(len, 0)).ToArray();
            // The run's audio cleaning (features.denoise, trim_top_db) on each window, as training cleaned each clip.
            var features = extractor.ExtractSamples(AudioCleaning.Clean(f, chunk));
            var probabilities = p.Predict(features.Data, features.Shape);
            var est = p.Estimate(probabilities);
            if (explanations != null && entries.Count < options.ExplainWindows)
                explanations.AddRange(ExplainWindow(path, p, features, Array.IndexOf(probabilities, probabilities.Max()), entries.Count,
                    Math.Round((double)start / f.SampleRate, 3), Math.Round((double)(start + Math.Max(len, 0)) / f.SampleRate, 3), options, explanations.Count));
            entries.Add(new TimelineEntry(Math.Round((double)start / f.SampleRate, 3), Math.Round((double)(start + Math.Max(len, 0)) / f.SampleRate, 3),
                est.Emotion, est.Probabilities));
            progress?.Step();
            if (start + n >= mono.Length) break;
        }
        return entries;
    }

    private AnalysisResult AnalyzeAudio(string path, AnalysisOptions options)
    {
        var p = RequireAudio(path);
        var f = p.Card.Features;
        var mono = AudioLoader.Load(path, new AudioLoadOptions { SampleRate = f.SampleRate, Offset = f.Offset }).ToMono();
        var explanations = options.ExplainDir != null ? new List<Explanation>() : null;
        var timeline = AudioWindows(path, mono, options, explanations, new ProgressMeter(options.Progress, WindowCount(p, mono.Length, options)));
        return new AnalysisResult
        {
            File = path, Mode = "audio", Duration = Math.Round((double)mono.Length / f.SampleRate, 3), Timeline = timeline,
            AudioTimeline = timeline, Overall = Average(timeline, p.Classes), Models = [p.Source],
            Explanations = explanations,
            ExplanationsNote = explanations == null ? null : ExplanationsNote(p, timeline.Count, explanations, options),
        };
    }

    /// <summary>Why an audio analysis has no explanations, or fewer windows explained than it has.</summary>
    private static string? ExplanationsNote(Predictor p, int windows, List<Explanation> explanations, AnalysisOptions options)
    {
        if (explanations.Count == 0)
            return p.HasConvolutionalInput
                ? $"{p.Card.Model} has no convolutional stage, so Grad-CAM does not apply; `averlab-train explain --run` gives its occlusion and integrated-gradient maps"
                : $"{p.Card.Model} has no explanation here";
        return windows > options.ExplainWindows ? $"the first {options.ExplainWindows} of {windows} windows are explained" : null;
    }

    /// <summary>One window's explanations: Grad-CAM of every convolutional stage (a PNG each, named by the explanation's
    /// index in the result), or the Shapley values of a feature-vector model (the 12 largest by |φ|).</summary>
    private static IEnumerable<Explanation> ExplainWindow(string path, Predictor p, FeatureArray features, int target, int window,
        double start, double end, AnalysisOptions options, int index)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        if (p.HasConvolutionalInput)
        {
            var result = new List<Explanation>();
            foreach (var map in p.ExplainMaps(features.Data, features.Shape, target))
            {
                // Channel 0 of the window's features (the MFCC itself; further channels are its deltas).
                var plane = features.Data.AsSpan(0, map.Height * map.Width).ToArray();
                var scaleX = Math.Max(1, (int)Math.Ceiling(480.0 / map.Width));
                var scaleY = Math.Max(1, (int)Math.Ceiling(240.0 / map.Height));
                var image = HeatmapOverlay.Overlay(plane, map.Height, map.Width, map.Heat, scaleX, scaleY);
                var file = Path.Combine(options.ExplainDir!, $"{stem}.explanation{index + result.Count}.png");
                AverLab.IO.AtomicFile.WriteAllBytes(file, ImageCodec.Encode(image, ImageFormat.Png));
                result.Add(new Explanation("gradcam", p.Source, p.Classes[target], start, end,
                    $"Grad-CAM of {map.Stage} ({map.MapHeight} x {map.MapWidth} cells, upsampled to the {map.Height} x {map.Width} input; rows top to bottom, time left to right) for window {window + 1}",
                    Stage: map.Stage, Image: file));
            }
            return result;
        }
        if (p.ExplainAttributions(features.Data, features.Shape, target, options.ExplainPermutations, seed: window) is not { } a) return [];
        var top = Enumerable.Range(0, a.Names.Length).OrderByDescending(j => Math.Abs(a.Values[j])).ThenBy(j => j).Take(12)
            .Select(j => new FeatureAttribution(a.Names[j], Math.Round(a.Values[j], 6), Math.Round(a.StandardErrors[j], 6))).ToList();
        return [new Explanation("shapley", p.Source, p.Classes[target], start, end,
            $"Shapley values of p({p.Classes[target]}) = {a.Prediction:0.000} against {p.AttributionBaseline} (p = {a.Baseline:0.000}), {options.ExplainPermutations} permutations over {a.Names.Length} features; the 12 largest |φ|",
            Attributions: top)];
    }

    private FaceResult Classify(RgbImage frame, GrayImage gray, FaceBox box, string? heatmapPath = null)
    {
        var p = face!;
        var f = p.Card.Features;
        var size = FaceCrops.SizeOf(f);
        // The crop the model trained on (FaceCrops: gray or RGB, same margin and size; FER's 48x48 for pixels models).
        long[] shape = [FaceCrops.Channels(f), size, size];
        var (data, landmarks) = FaceCrops.Face(frame, gray, box, f);
        var probabilities = p.Predict(data, shape, landmarks is null ? null : [FeatureArray.Create(landmarks, landmarks.Length)]);
        var est = p.Estimate(probabilities);
        if (heatmapPath != null)
        {
            var heat = p.Explain(data, shape, Array.IndexOf(probabilities, probabilities.Max()))
                       ?? throw new NotSupportedException($"{p.Source}: --explain needs a face ResNet model (Grad-CAM on its last convolutional stage)");
            var grayCrop = FaceCrops.GrayView(gray, box, f);
            ImageCodec.Save(HeatmapOverlay.Overlay(grayCrop.Pixels, size, heat), heatmapPath);
        }
        return new FaceResult(box.X, box.Y, box.Width, box.Height, est.Emotion, est.Probabilities, heatmapPath);
    }

    private AnalysisResult AnalyzeImage(string path, string? explainDir = null)
    {
        var p = RequireFace(path);
        var image = ImageCodec.Load(path);
        var gray = image.ToGray();
        if (explainDir != null) Directory.CreateDirectory(explainDir);
        var faces = detector!.Detect(gray).Faces.Select((b, i) => Classify(image, gray, b,
            explainDir == null ? null : Path.Combine(explainDir, $"{Path.GetFileNameWithoutExtension(path)}.face{i}.gradcam.png"))).ToList();
        return new AnalysisResult
        {
            File = path, Mode = "image", Faces = faces, NoFace = faces.Count == 0, Models = [p.Source],
            Overall = faces.Count == 0 ? null : Average(faces.Select(f => new TimelineEntry(0, 1, f.Emotion, f.Probabilities)).ToList(), p.Classes),
        };
    }

    private AnalysisResult AnalyzeVideo(string path, AnalysisOptions options, bool combined)
    {
        if (audio == null && face == null) throw new ArgumentException($"{path}: video analysis needs an audio model, a face model or both");
        var probe = VideoProbe.Read(path);
        if (combined && !probe.HasAudio)
            throw new MediaFormatException(path, "no audio track: combined analysis needs one (use --mode video for faces only)");
        if (face == null && !probe.HasAudio)
            throw new MediaFormatException(path, "no audio track: an audio model has nothing to analyse in this video (give a face model for its frames)");
        IReadOnlyList<TimelineEntry> audioTimeline = [];
        var audioUnits = audio != null && probe.HasAudio && double.IsFinite(probe.Duration)
            ? WindowCount(audio, (long)(probe.Duration * audio.Card.Features.SampleRate), options) : 0;
        var expectedFrames = face != null && double.IsFinite(probe.Duration) ? Math.Max(1, (int)Math.Ceiling(probe.Duration * options.Fps)) : 0;
        var progress = new ProgressMeter(options.Progress, audioUnits + expectedFrames);
        IReadOnlyList<TimelineEntry> AnalyzeAudioTrack()
        {
            var f = audio!.Card.Features;
            var mono = VideoAudio.Extract(path, f.SampleRate, mono: true).ToMono();
            return AudioWindows(path, mono, options, progress: progress);
        }
        // With both models the audio track and the frames are analysed at once, on two threads, each running its
        // libtorch ops on one thread (the two branches keep the cores busy without OpenMP's fork and join on a batch of
        // one); each branch computes exactly what it computes alone. bench/predict-rtf.sh measures the gain.
        var bothBranches = audio != null && probe.HasAudio && face != null;
        Task<IReadOnlyList<TimelineEntry>>? audioBranch = null;
        if (bothBranches)
            audioBranch = Task.Factory.StartNew(() =>
            {
                using var oneThread = AverLab.Models.Engine.SingleThreaded();
                return AnalyzeAudioTrack();
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        else if (audio != null && probe.HasAudio) audioTimeline = AnalyzeAudioTrack();
        var faceTimeline = new List<TimelineEntry>();
        var noFaceFrames = 0;
        try
        {
            if (face != null) AnalyzeFrames();
        }
        finally
        {
            // The audio branch ends before the analysis returns, whatever happened to the frames; its own failure is
            // rethrown as itself (not an AggregateException) when the frames succeeded.
            if (audioBranch != null)
            {
                try
                {
                    audioBranch.Wait();
                }
                catch (AggregateException)
                {
                }
            }
        }
        if (audioBranch != null) audioTimeline = audioBranch.GetAwaiter().GetResult();

        void AnalyzeFrames()
        {
            using var oneThread = AverLab.Models.Engine.SingleThreaded(bothBranches);
            var step = 1 / options.Fps;
            if (options.FramesDir != null) Directory.CreateDirectory(options.FramesDir);
            // Every k-th analysed frame is kept, so that at most MaxFrames are written however long the video is.
            var stride = Math.Max(1, (int)Math.Ceiling(expectedFrames / (double)Math.Max(1, options.MaxFrames)));
            var sampled = 0;
            var written = 0;
            foreach (var frame in VideoFrameReader.ReadAtFps(path, options.Fps))
            {
                var index = sampled++;
                progress.Step();
                var gray = frame.Image.ToGray();
                if (detector!.Detect(gray).Largest is not { } box)
                {
                    noFaceFrames++;
                    continue;
                }
                var r = Classify(frame.Image, gray, box);
                string? image = null;
                if (options.FramesDir != null && index % stride == 0 && written < options.MaxFrames)
                    image = SaveFrame(frame.Image, Path.Combine(options.FramesDir, $"{Path.GetFileNameWithoutExtension(path)}.frame{written++}.jpg"), options.FrameWidth);
                faceTimeline.Add(new TimelineEntry(Math.Round(frame.Timestamp, 3), Math.Round(frame.Timestamp + step, 3), r.Emotion, r.Probabilities,
                    new FrameBox(box.X, box.Y, box.Width, box.Height, frame.Image.Width, frame.Image.Height), image));
            }
        }
        IReadOnlyList<TimelineEntry> timeline;
        IReadOnlyList<string> classes;
        if (audioTimeline.Count > 0 && faceTimeline.Count > 0)
        {
            classes = SharedClasses(audio!.Classes, face!.Classes);
            timeline = Fuse(ToClasses(audioTimeline, classes), ToClasses(faceTimeline, classes), classes, options.AudioWeight);
        }
        else if (audioTimeline.Count > 0) (timeline, classes) = (audioTimeline, audio!.Classes);
        else (timeline, classes) = (faceTimeline, face!.Classes);
        return new AnalysisResult
        {
            File = path, Mode = combined ? "combined" : "video", Duration = probe.Duration, Timeline = timeline,
            AudioTimeline = audioTimeline, FaceTimeline = faceTimeline, NoFace = face != null && faceTimeline.Count == 0 && noFaceFrames > 0,
            Overall = timeline.Count == 0 ? null : Average(timeline, classes),
            Models = new[] { audio?.Source, face?.Source }.OfType<string>().ToList(),
        };
    }

    /// <summary>A clip model over a video: one window when the video is about one training clip long (at most 1.5
    /// windows), else consecutive windows of --window seconds (default: the model's clip duration; a remainder
    /// under half a window joins the last one), each cut to a temporary file and read by the model's own front end.</summary>
    private AnalysisResult AnalyzeClips(string path, AnalysisOptions options, bool combined)
    {
        var p = clip!;
        var probe = VideoProbe.Read(path);
        if (p.TakesAudioVisualClips && !probe.HasAudio)
            throw new MediaFormatException(path, $"no audio track: {p.Card.Model} needs the audio and the faces of a clip");
        if (combined && !p.TakesAudioVisualClips)
            throw new ArgumentException($"{p.Source}: {p.Card.Model} reads frames only; use --mode video");
        var duration = probe.Duration;
        if (!double.IsFinite(duration) || duration <= 0) throw new MediaFormatException(path, "the container does not state a duration");
        var window = options.Window ?? p.Card.Features.Duration;
        var windows = new List<(double start, double end)>();
        if (duration <= 1.5 * window) windows.Add((0.0, duration));
        else
        {
            for (var start = 0.0; start < duration - 1e-9; start += window) windows.Add((start, Math.Min(start + window, duration)));
            if (windows.Count > 1 && windows[^1].end - windows[^1].start < window / 2)
            {
                windows[^2] = (windows[^2].start, windows[^1].end);
                windows.RemoveAt(windows.Count - 1);
            }
        }
        var timeline = new List<TimelineEntry>();
        var temp = Directory.CreateTempSubdirectory("averlab-clips-").FullName;
        try
        {
            foreach (var (start, end) in windows)
            {
                var file = windows.Count == 1 ? path : Cut(path, start, end - start, Path.Combine(temp, $"w{timeline.Count}.mp4"));
                var est = p.Estimate(p.PredictClip(file));
                timeline.Add(new TimelineEntry(Math.Round(start, 3), Math.Round(end, 3), est.Emotion, est.Probabilities));
                options.Progress?.Invoke(Math.Min(0.99, (double)timeline.Count / windows.Count));
            }
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
        return new AnalysisResult
        {
            File = path, Mode = combined ? "combined" : "video", Duration = probe.Duration, Timeline = timeline,
            Overall = Average(timeline, p.Classes), Models = [p.Source],
        };
    }

    /// <summary>A frame scaled to <paramref name="width"/> (never enlarged) as a JPEG, written whole or not at all.</summary>
    private static string SaveFrame(RgbImage frame, string file, int width)
    {
        var w = Math.Min(Math.Max(16, width), frame.Width);
        var h = Math.Max(1, (int)Math.Round((double)frame.Height * w / frame.Width));
        var image = w == frame.Width ? frame : frame.Resize(w, h);
        AverLab.IO.AtomicFile.WriteAllBytes(file, ImageCodec.Encode(image, ImageFormat.Jpeg, 85));
        return file;
    }

    /// <summary>Re-encodes [start, start + length) so the window starts on a frame of its own (stream copy would
    /// snap to key frames).</summary>
    private static string Cut(string path, double start, double length, string output)
    {
        string F(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        Ffmpeg.Run(Ffmpeg.FfmpegPath, ["-v", "error", "-y", "-ss", F(start), "-t", F(length), "-i", path,
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", output], path);
        return output;
    }

    /// <summary>Per audio window: w·audio + (1 − w)·mean of the face frames inside the window (audio alone when
    /// no face was seen in it).</summary>
    private static List<TimelineEntry> Fuse(IReadOnlyList<TimelineEntry> audioWindows, IReadOnlyList<TimelineEntry> frames,
        IReadOnlyList<string> classes, double w)
    {
        var fused = new List<TimelineEntry>();
        foreach (var a in audioWindows)
        {
            var inside = frames.Where(f => f.Start >= a.Start && f.Start < a.End).ToList();
            var p = classes.Select(c => inside.Count == 0 ? a.Probabilities[c] : w * a.Probabilities[c] + (1 - w) * inside.Average(f => f.Probabilities[c])).ToArray();
            var est = Predictor.Estimate(p, classes);
            fused.Add(new TimelineEntry(a.Start, a.End, est.Emotion, est.Probabilities));
        }
        return fused;
    }

    /// <summary>The classes late fusion works in: the audio model's when both models have the same; otherwise the
    /// emotions both models know, by name (fear = fearful, surprise = surprised, ...), in the audio model's order, with
    /// calm counted as neutral when only one model has calm (RAVDESS speech with FER2013 faces: 7 shared emotions).</summary>
    public static IReadOnlyList<string> SharedClasses(IReadOnlyList<string> audio, IReadOnlyList<string> face)
    {
        if (audio.SequenceEqual(face)) return audio;
        var faceEmotions = face.Select(Canonical).ToHashSet();
        var shared = audio.Select(Canonical).Distinct().Where(faceEmotions.Contains).ToList();
        if (shared.Count < 2)
            throw new ArgumentException($"late fusion needs classes both models share: audio [{string.Join(", ", audio)}] vs face [{string.Join(", ", face)}]");
        return shared;

        string Canonical(string name)
        {
            var e = EmotionNames.TryParse(name);
            if (e is null) return name.ToLowerInvariant();
            var calmInBoth = audio.Any(c => EmotionNames.TryParse(c) == Emotion.Calm) && face.Any(c => EmotionNames.TryParse(c) == Emotion.Calm);
            return (e == Emotion.Calm && !calmInBoth ? Emotion.Neutral : e.Value).ToString().ToLowerInvariant();
        }
    }

    /// <summary>A timeline's probabilities in <paramref name="classes"/>: each model class adds to the shared class of its
    /// emotion (calm to neutral where <see cref="SharedClasses"/> merged them), classes outside are dropped, and the rest
    /// renormalised to sum to 1.</summary>
    private static List<TimelineEntry> ToClasses(IReadOnlyList<TimelineEntry> entries, IReadOnlyList<string> classes)
    {
        if (entries.Count > 0 && entries[0].Probabilities.Keys.SequenceEqual(classes)) return entries.ToList();
        string Target(string name)
        {
            if (classes.Contains(name)) return name;
            var e = EmotionNames.TryParse(name);
            if (e is null) return "";
            var canonical = e == Emotion.Calm && !classes.Contains("calm") ? "neutral" : e.Value.ToString().ToLowerInvariant();
            return classes.FirstOrDefault(c => c == canonical || EmotionNames.TryParse(c)?.ToString().ToLowerInvariant() == canonical) ?? "";
        }
        return entries.Select(entry =>
        {
            var p = classes.ToDictionary(c => c, _ => 0.0);
            foreach (var (name, value) in entry.Probabilities)
                if (Target(name) is { Length: > 0 } t) p[t] += value;
            var total = p.Values.Sum();
            var probabilities = classes.Select(c => total > 0 ? p[c] / total : 1.0 / classes.Count).ToArray();
            var est = Predictor.Estimate(probabilities, classes);
            return new TimelineEntry(entry.Start, entry.End, est.Emotion, est.Probabilities);
        }).ToList();
    }

    /// <summary>Duration-weighted mean of the entries' probabilities.</summary>
    private static EmotionEstimate Average(IReadOnlyList<TimelineEntry> entries, IReadOnlyList<string> classes)
    {
        var weights = entries.Select(e => Math.Max(e.End - e.Start, 1e-6)).ToArray();
        var total = weights.Sum();
        var p = classes.Select(c => entries.Select((e, i) => e.Probabilities[c] * weights[i]).Sum() / total).ToArray();
        return Predictor.Estimate(p, classes);
    }

    public void Dispose() => detector?.Dispose();
}
