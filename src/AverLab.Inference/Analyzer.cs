using AverLab.Media;
using AverLab.Media.Audio;
using AverLab.Media.Faces;
using AverLab.Media.Images;
using AverLab.Media.Video;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

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
    /// <summary>Write a Grad-CAM PNG per detected face of an image into this folder (face models only).</summary>
    public string? ExplainDir { get; init; }
}

/// <summary>Analyses a file with an audio model and/or a face model: per-window audio emotions, per-face and
/// per-frame face emotions, and a late fusion of both on video.</summary>
public sealed class Analyzer(Predictor? audio, Predictor? face) : IDisposable
{
    private readonly HaarFaceDetector? detector = face != null ? new HaarFaceDetector() : null;

    private static readonly string[] AudioExtensions = [".wav", ".mp3", ".flac", ".ogg", ".m4a", ".aac", ".opus"];
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
            return audio != null && face != null && VideoProbe.Read(path).HasAudio ? AnalysisMode.Combined : AnalysisMode.Video;
        throw new MediaFormatException(path, $"unsupported file type '{ext}' (audio: {string.Join(" ", AudioExtensions)}; images: {string.Join(" ", ImageExtensions)}; video: {string.Join(" ", VideoExtensions)})");
    }

    public AnalysisResult Analyze(string path, AnalysisOptions options)
    {
        if (!File.Exists(path)) throw new MediaFormatException(path, "no such file");
        var mode = options.Mode == AnalysisMode.Auto ? Detect(path) : options.Mode;
        return mode switch
        {
            AnalysisMode.Audio => AnalyzeAudio(path, options),
            AnalysisMode.Image => AnalyzeImage(path, options.ExplainDir),
            _ => AnalyzeVideo(path, options, mode == AnalysisMode.Combined),
        };
    }

    private Predictor RequireAudio(string path) => audio ?? throw new ArgumentException($"{path}: audio analysis needs an audio model (--model of an audio run, or --audio-model)");
    private Predictor RequireFace(string path) => face ?? throw new ArgumentException($"{path}: face analysis needs a face model (--model of a face run, or --face-model)");

    private IReadOnlyList<TimelineEntry> AudioWindows(string path, float[] mono, AnalysisOptions options)
    {
        var p = RequireAudio(path);
        var f = p.Card.Features;
        var extractor = new ClipMfccExtractor(f);
        var window = options.Window ?? f.Duration;
        var n = Math.Max(1, (int)Math.Round(window * f.SampleRate));
        var entries = new List<TimelineEntry>();
        for (var start = 0; start == 0 || start < mono.Length; start += n)
        {
            var len = Math.Min(n, mono.Length - start);
            if (len <= 0 && start > 0) break;
            var chunk = mono.AsSpan(start, Math.Max(len, 0)).ToArray();
            var features = extractor.ExtractSamples(chunk);
            var est = p.Estimate(p.Predict(features.Data, features.Shape));
            entries.Add(new TimelineEntry(Math.Round((double)start / f.SampleRate, 3), Math.Round((double)(start + Math.Max(len, 0)) / f.SampleRate, 3),
                est.Emotion, est.Probabilities));
            if (start + n >= mono.Length) break;
        }
        return entries;
    }

    private AnalysisResult AnalyzeAudio(string path, AnalysisOptions options)
    {
        var p = RequireAudio(path);
        var f = p.Card.Features;
        var mono = AudioLoader.Load(path, new AudioLoadOptions { SampleRate = f.SampleRate, Offset = f.Offset }).ToMono();
        var timeline = AudioWindows(path, mono, options);
        return new AnalysisResult
        {
            File = path, Mode = "audio", Duration = Math.Round((double)mono.Length / f.SampleRate, 3), Timeline = timeline,
            AudioTimeline = timeline, Overall = Average(timeline, p.Classes), Models = [p.Source],
        };
    }

    private FaceResult Classify(GrayImage gray, FaceBox box, string? heatmapPath = null)
    {
        var p = face!;
        var size = p.Card.Features.ImageSize;
        var crop = SquareCrop.Around(gray, box, size, 0.2, CropBorder.Pad);
        var data = crop.Pixels.Select(b => b / 255f).ToArray();
        var probabilities = p.Predict(data, [1, size, size]);
        var est = p.Estimate(probabilities);
        if (heatmapPath != null)
        {
            var heat = p.Explain(data, [1, size, size], Array.IndexOf(probabilities, probabilities.Max()))
                       ?? throw new NotSupportedException($"{p.Source}: --explain needs a face ResNet model (Grad-CAM on its last convolutional stage)");
            ImageCodec.Save(GradCam.Overlay(crop.Pixels, size, heat), heatmapPath);
        }
        return new FaceResult(box.X, box.Y, box.Width, box.Height, est.Emotion, est.Probabilities, heatmapPath);
    }

    private AnalysisResult AnalyzeImage(string path, string? explainDir = null)
    {
        var p = RequireFace(path);
        var gray = ImageCodec.Load(path).ToGray();
        if (explainDir != null) Directory.CreateDirectory(explainDir);
        var faces = detector!.Detect(gray).Faces.Select((b, i) => Classify(gray, b,
            explainDir == null ? null : Path.Combine(explainDir, $"{Path.GetFileNameWithoutExtension(path)}.face{i}.gradcam.png"))).ToList();
        return new AnalysisResult
        {
            File = path, Mode = "image", Faces = faces, NoFace = faces.Count == 0, Models = [p.Source],
            Overall = faces.Count == 0 ? null : Average(faces.Select(f => new TimelineEntry(0, 1, f.Emotion, f.Probabilities)).ToList(), p.Classes),
        };
    }

    private AnalysisResult AnalyzeVideo(string path, AnalysisOptions options, bool combined)
    {
        var probe = VideoProbe.Read(path);
        if (combined && !probe.HasAudio)
            throw new MediaFormatException(path, "no audio track: combined analysis needs one (use --mode video for faces only)");
        IReadOnlyList<TimelineEntry> audioTimeline = [];
        if (audio != null && probe.HasAudio)
        {
            var f = audio.Card.Features;
            var mono = VideoAudio.Extract(path, f.SampleRate, mono: true).ToMono();
            audioTimeline = AudioWindows(path, mono, options);
        }
        var faceTimeline = new List<TimelineEntry>();
        var noFaceFrames = 0;
        if (face != null)
        {
            var step = 1 / options.Fps;
            foreach (var frame in VideoFrameReader.ReadAtFps(path, options.Fps))
            {
                var gray = frame.Image.ToGray();
                if (detector!.Detect(gray).Largest is not { } box)
                {
                    noFaceFrames++;
                    continue;
                }
                var r = Classify(gray, box);
                faceTimeline.Add(new TimelineEntry(Math.Round(frame.Timestamp, 3), Math.Round(frame.Timestamp + step, 3), r.Emotion, r.Probabilities));
            }
        }
        if (audio == null && face == null) throw new ArgumentException($"{path}: video analysis needs an audio model, a face model or both");
        IReadOnlyList<TimelineEntry> timeline;
        IReadOnlyList<string> classes;
        if (audioTimeline.Count > 0 && faceTimeline.Count > 0)
        {
            classes = audio!.Classes;
            if (!classes.SequenceEqual(face!.Classes))
                throw new ArgumentException($"late fusion needs the same classes in both models: audio [{string.Join(", ", classes)}] vs face [{string.Join(", ", face.Classes)}]");
            timeline = Fuse(audioTimeline, faceTimeline, classes, options.AudioWeight);
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
