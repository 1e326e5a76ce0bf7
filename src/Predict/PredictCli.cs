using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AverLab.Inference;
using AverLab.Media;
using Spectre.Console;

namespace AverLab.Predict;

/// <summary>Analyses files with trained runs and writes JSON results (schema: result.schema.json). A folder is
/// batch mode: one JSON per file plus summary.csv; a bad file is reported and the batch goes on.</summary>
public static class PredictCli
{
    /// <summary>The result JSON's serializer settings (shared with the web app: <see cref="AnalysisJson"/>).</summary>
    public static JsonSerializerOptions Json => AnalysisJson.Options;

    public static RootCommand Build()
    {
        var input = new Argument<string?>("input") { Description = "an audio, image or video file, or a folder of them (batch mode)", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string?>("--model", "-m") { Description = "run folder, model package or model.json of a trained model: audio, face, or a clip model (fusion LSTM, AV transformer, LRCN, ConvLSTM) that reads video windows through its own front end; its inputs decide. Without --model/--audio-model/--face-model the installed packages serve ($AVERLAB_MODELS, then the repository's models/; see --list-models)" };
        var listModels = new Option<bool>("--list-models") { Description = "list the installed model packages ($AVERLAB_MODELS, then the repository's models/) with what each analyses and its test accuracy, and exit" };
        var audioModel = new Option<string?>("--audio-model") { Description = "audio run for video/combined analysis (late fusion)" };
        var faceModel = new Option<string?>("--face-model") { Description = "face run for image/video/combined analysis" };
        var mode = new Option<AnalysisMode>("--mode") { Description = "auto (by extension and content), audio, image, video or combined", DefaultValueFactory = _ => AnalysisMode.Auto };
        var window = new Option<double?>("--window") { Description = "audio window in seconds for timelines (default: the model's clip length)" };
        var fps = new Option<double>("--fps") { Description = "video frames analysed per second", DefaultValueFactory = _ => 4 };
        var audioWeight = new Option<double>("--audio-weight") { Description = "late-fusion weight of the audio model (face: 1 - this)", DefaultValueFactory = _ => 0.5 };
        var output = new Option<string?>("--out", "-o") { Description = "results.json for one file; a folder for batch mode" };
        var speakerClips = new Option<string[]>("--speaker-clips")
        {
            Description = "clips (files or folders) of the speaker being analysed, for a run trained with features.speaker_norm: its features are standardized with their statistics",
            AllowMultipleArgumentsPerToken = true,
        };
        var explain = new Option<bool>("--explain") { Description = "Grad-CAM heatmap PNG per detected face (images, face ResNet models), next to the JSON output" };
        var device = new Option<string?>("--device")
        {
            Description = "cpu, cuda or auto (cuda when available); default: the device each run trained on (model.json), the CPU where that is cuda and there is none",
        };
        device.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        var root = new RootCommand("AverLab inference: emotion of a file, or an emotion timeline, as JSON.")
        {
            input, model, audioModel, faceModel, mode, window, fps, audioWeight, output, explain, speakerClips, device, listModels,
        };
        root.SetAction(p =>
        {
            try
            {
                if (p.GetValue(listModels)) return ListModels(Console.Out, Console.Error);
                if (p.GetValue(input) is not { } file) throw new UsageException("give a file or folder to analyse (or --list-models); see --help");
                return Run(file, p.GetValue(model), p.GetValue(audioModel), p.GetValue(faceModel), new AnalysisOptions
                {
                    Mode = p.GetValue(mode), Window = p.GetValue(window), Fps = p.GetValue(fps), AudioWeight = p.GetValue(audioWeight),
                }, p.GetValue(output), p.GetValue(explain), p.GetValue(speakerClips) ?? [], p.GetValue(device));
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"usage error: {e.Message}");
                return Usage;
            }
        });
        return root;
    }

    /// <summary>Exit codes (README "Exit codes"): 0 every file analysed; 1 a batch where some files failed (each
    /// reported, the batch finished and wrote summary.csv); 2 bad usage (options, a --model that is not a usable run);
    /// 3 nothing could be analysed (the one file failed, an empty folder, or every file of a batch failed).</summary>
    public const int Ok = 0, SomeFailed = 1, Usage = 2, NothingAnalysed = 3;

    /// <summary>Parses and runs; a command line System.CommandLine rejects is exit 2 with its messages.</summary>
    public static int Run(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"usage error: {e.Message}");
            Console.Error.WriteLine("see --help");
            return Usage;
        }
        return parse.Invoke();
    }

    /// <summary>One file through the analyzer: its result, or one line naming the file and the problem. Never throws
    /// for a bad file: <paramref name="expected"/> is false when the failure was not a reported input problem (a
    /// bug, still reported as a line so a batch goes on).</summary>
    public static (AnalysisResult? Result, string? Error, bool Expected) AnalyzeFile(Analyzer analyzer, string file, AnalysisOptions options)
    {
        try
        {
            var result = analyzer.Analyze(file, options);
            try
            {
                _ = JsonSerializer.Serialize(result, Json); // a result must be writable JSON: no infinities or NaN in it
            }
            catch (ArgumentException)
            {
                // Seen in fuzzing: a mutated file read under another extension gave an infinite number in the result.
                return (null, $"{file}: the analysis gave a non-finite number (infinity or NaN); the file is corrupt or not what its extension says", true);
            }
            return (result, null, true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var expected = e is IOException or ArgumentException or InvalidDataException or NotSupportedException
                or System.Runtime.InteropServices.ExternalException or AverLab.Media.Native.VisionException or FormatException;
            var message = e.Message.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
            if (!message.Contains(file, StringComparison.Ordinal)) message = $"{file}: {message}";
            if (!expected) message += $" (internal error {e.GetType().Name}, please report)";
            return (null, message, expected);
        }
    }

    /// <summary>Hands --speaker-clips (files, or folders of audio files) to the models trained with
    /// features.speaker_norm; such a model without clips, or clips without such a model, is a usage error.</summary>
    private static void UseSpeakerClips(IEnumerable<Predictor?> models, string[] given)
    {
        var normed = models.OfType<Predictor>().Distinct().Where(m => m.Card.Features.SpeakerNorm).ToList();
        if (given.Length == 0)
        {
            if (normed.Count > 0)
                throw new UsageException($"{normed[0].Source}: this model standardizes features per speaker (features.speaker_norm): give several clips of the speaker with --speaker-clips <folder or files>");
            return;
        }
        if (normed.Count == 0) throw new UsageException("--speaker-clips: no model given was trained with features.speaker_norm");
        var files = new List<string>();
        foreach (var g in given)
        {
            if (Directory.Exists(g))
                files.AddRange(Directory.EnumerateFiles(g).Where(Analyzer.IsAudioFile).Order(StringComparer.Ordinal));
            else if (File.Exists(g)) files.Add(g);
            else throw new UsageException($"--speaker-clips {g}: no such file or folder");
        }
        foreach (var m in normed)
        {
            try
            {
                m.UseSpeakerClips(files);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException)
            {
                throw new UsageException($"--speaker-clips: {e.Message}");
            }
        }
        Console.Error.WriteLine($"speaker statistics from {files.Count} clips");
    }

    /// <summary>--list-models: each installed package (name, what it analyses, model, corpus, headline figure, where it
    /// was found, folder); a damaged one is an error line naming its folder, and the exit code is then 2.</summary>
    public static int ListModels(TextWriter stdout, TextWriter stderr)
    {
        var locations = ModelPackages.Locations();
        var packages = ModelPackages.Find(locations);
        if (packages.Count == 0)
        {
            stdout.WriteLine($"no model packages installed: looked in {ModelPackages.DescribeLocations(locations)}");
            return Ok;
        }
        var good = packages.Where(p => p.Problem == null).ToList();
        if (good.Count > 0)
        {
            string[] header = ["name", "analyses", "model", "corpus", "headline (test)", "from", "folder"];
            var rows = good.Select(p => new[] { p.Name, RolesText(p.Roles!), p.Card!.Model, p.Card.Corpus, p.Headline.Replace("test accuracy", "accuracy"), p.Origin, p.Folder }).ToList();
            var widths = header.Select((h, i) => rows.Max(r => r[i].Length) is var w && w > h.Length ? w : h.Length).ToArray();
            string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i])));
            stdout.WriteLine(Line(header));
            foreach (var r in rows) stdout.WriteLine(Line(r));
        }
        foreach (var bad in packages.Where(p => p.Problem != null)) stderr.WriteLine($"error: model package {bad.Folder}: {bad.Problem}");
        return packages.Any(p => p.Problem != null) ? Usage : Ok;
    }

    private static string RolesText(ModelRoles r) => string.Join("+", new[]
    {
        r.Audio ? "audio" : null, r.Faces ? "faces" : null, r.Clips ? (r.AudioVisualClips ? "audio-visual clips" : "video clips") : null,
    }.OfType<string>());

    /// <summary>The installed packages that analyse <paramref name="input"/> when no model is named: a face package for
    /// images, a speech package for audio, both (or either) for videos and folders; the first of each kind in lookup
    /// order. The speech package is one that needs nothing but the clip, or, with --speaker-clips, one trained with
    /// features.speaker_norm when one is installed. A damaged package anywhere in the lookup is a usage error naming its
    /// folder (it may be the one meant).</summary>
    private static (InstalledPackage? Audio, InstalledPackage? Face) DefaultPackages(string input, AnalysisMode mode, bool speakerClips)
    {
        var locations = ModelPackages.Locations();
        var packages = ModelPackages.Find(locations);
        if (packages.FirstOrDefault(p => p.Problem != null) is { } bad)
            throw new UsageException($"model package {bad.Folder}: {bad.Problem}");
        var speech = packages.Where(p => p.Roles!.Audio).ToList();
        var audio = speakerClips ? speech.FirstOrDefault(p => p.Card!.Features.SpeakerNorm) ?? speech.FirstOrDefault()
            : speech.FirstOrDefault(p => !p.Card!.Features.SpeakerNorm);
        var face = packages.FirstOrDefault(p => p.Roles!.Faces);
        var isFile = File.Exists(input);
        var wantsAudio = mode == AnalysisMode.Audio || (mode == AnalysisMode.Auto && isFile && Analyzer.IsAudioFile(input));
        var wantsFace = mode == AnalysisMode.Image || (mode == AnalysisMode.Auto && isFile && Analyzer.IsImageFile(input));
        (InstalledPackage?, InstalledPackage?) pick = wantsAudio ? (audio, null) : wantsFace ? (null, face) : (audio, face);
        if (pick is (null, null))
        {
            var need = wantsAudio ? "a speech (audio) model" : wantsFace ? "a face model" : "an audio or a face model";
            throw new UsageException($"no --model given and no installed model package is {need} for {input}: looked in {ModelPackages.DescribeLocations(locations)}; give --model <run or package>, or install a package there (README, Shipped models)");
        }
        foreach (var p in new[] { pick.Item1, pick.Item2 }.OfType<InstalledPackage>())
            Console.Error.WriteLine($"model package: {p.Name} ({p.Folder}, from {p.Origin})");
        return pick;
    }

    private static Predictor LoadModel(string option, string path, string? device)
    {
        try
        {
            var predictor = Predictor.Load(path, device);
            if (predictor.DeviceNote is { } note) Console.Error.WriteLine($"note: {note}");
            return predictor;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException
                                       or System.Runtime.InteropServices.ExternalException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new UsageException($"{option} {path}: {e.Message.Replace('\n', ' ')}");
        }
    }

    private static int Run(string input, string? model, string? audioModel, string? faceModel, AnalysisOptions options, string? output, bool explain,
        string[] speakerClips, string? device)
    {
        if (device == "cuda" && !TorchSharp.torch.cuda.is_available())
            throw new UsageException("--device cuda: no CUDA device is available here (TorchSharp-cpu, or no GPU/driver); use cpu or auto");
        if (options.Fps is <= 0 or > 1000 || !double.IsFinite(options.Fps)) throw new UsageException($"--fps must be in (0, 1000], got {options.Fps}");
        if (options.Window is { } w && (w <= 0 || !double.IsFinite(w))) throw new UsageException($"--window must be a positive number of seconds, got {w}");
        if (options.AudioWeight is < 0 or > 1 || !double.IsFinite(options.AudioWeight)) throw new UsageException($"--audio-weight must be in [0, 1], got {options.AudioWeight}");
        // No model named: the installed packages (a damaged one is a usage error naming its folder).
        var (audioPackage, facePackage) = model == null && audioModel == null && faceModel == null ? DefaultPackages(input, options.Mode, speakerClips.Length > 0) : (null, null);
        using var main = model != null ? LoadModel("--model", model, device) : null;
        using var audio = audioModel != null ? LoadModel("--audio-model", audioModel, device)
            : audioPackage != null ? LoadModel("model package", audioPackage.Folder, device) : null;
        using var face = faceModel != null ? LoadModel("--face-model", faceModel, device)
            : facePackage != null ? LoadModel("model package", facePackage.Folder, device) : null;
        var a = audio ?? (main is { TakesAudio: true } ? main : null);
        var f = face ?? (main is { TakesFaces: true } ? main : null);
        var c = main is { TakesClips: true } ? main : null;
        if (main != null && a != main && f != main && c != main)
            throw new UsageException($"{main.Source}: model {main.Card.Model} takes {main.Inputs} from features.kind {main.Card.Features.Kind}, which this CLI cannot build");
        if (c != null && (audio != null || face != null))
            throw new UsageException($"{c.Source}: a clip model ({c.Card.Model}) analyses videos on its own; leave out --audio-model/--face-model");
        if (audio != null && !audio.TakesAudio) throw new UsageException($"--audio-model {audio.Source}: model {audio.Card.Model} is not an audio model");
        if (face != null && !face.TakesFaces) throw new UsageException($"--face-model {face.Source}: model {face.Card.Model} is not a face model");
        if (explain && f == null) throw new UsageException("--explain needs a face model (--model of a face run, or --face-model)");
        if (explain && File.Exists(input) && !Analyzer.IsImageFile(input))
            throw new UsageException($"--explain draws Grad-CAM heatmaps of the faces in images; {input} is not an image (a folder explains the images in it)");
        if (explain)
            options = options with
            {
                ExplainDir = Directory.Exists(input) ? output ?? Path.Combine(input, "averlab-results")
                    : output != null ? Path.GetDirectoryName(Path.GetFullPath(output)) : Directory.GetCurrentDirectory(),
            };
        UseSpeakerClips([a, f, c], speakerClips);
        using var analyzer = new Analyzer(a, f, c);
        return Analyze(analyzer, input, options, output);
    }

    /// <summary>The CLI once its options are checked and its models loaded: a file or a folder (batch) through the
    /// analyzer, results written (to <paramref name="output"/>, else the JSON to stdout), every problem one line on
    /// <paramref name="stderr"/>; returns the exit code (0, 1 or 3). The fuzz tests call this per mutated file, so
    /// thousands of inputs take the CLI's own path without loading the models each time.</summary>
    public static int Analyze(Analyzer analyzer, string input, AnalysisOptions options, string? output, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var (o, e) = (stdout ?? Console.Out, stderr ?? Console.Error);
        if (Directory.Exists(input)) return Batch(analyzer, input, options, output ?? Path.Combine(input, "averlab-results"), o, e);
        var (result, error, _) = AnalyzeFile(analyzer, input, options);
        if (result == null)
        {
            e.WriteLine($"error: {error}");
            return NothingAnalysed;
        }
        var json = JsonSerializer.Serialize(result, Json);
        try
        {
            if (output != null) AverLab.IO.AtomicFile.WriteAllText(output, json + "\n");
            else o.WriteLine(json);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            e.WriteLine($"error: {output}: cannot write the result: {OneLine(x.Message)}");
            return NothingAnalysed;
        }
        Summary([result], e);
        return Ok;
    }

    private static string OneLine(string s) => s.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');

    /// <summary>Every supported file under the folder, in order; a file that fails is reported (stderr and its
    /// summary.csv row) and the batch goes on; summary.csv is always written, even for an empty folder.</summary>
    private static int Batch(Analyzer analyzer, string folder, AnalysisOptions options, string outDir, TextWriter stdout, TextWriter stderr)
    {
        Directory.CreateDirectory(outDir);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => !Path.GetFullPath(p).StartsWith(Path.GetFullPath(outDir), StringComparison.Ordinal))
            .Where(Analyzer.IsSupported).Order(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder("file,mode,emotion,confidence,error\n");
        var results = new List<AnalysisResult>();
        var failures = 0;
        foreach (var file in files)
        {
            var (r, error, _) = AnalyzeFile(analyzer, file, options);
            if (r != null)
            {
                try
                {
                    var name = Path.GetRelativePath(folder, file).Replace('/', '_') + ".json";
                    AverLab.IO.AtomicFile.WriteAllText(Path.Combine(outDir, name), JsonSerializer.Serialize(r, Json) + "\n");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error = $"{file}: cannot write its result: {OneLine(e.Message)}";
                    r = null;
                }
            }
            if (r != null)
            {
                results.Add(r);
                var conf = r.Overall is { } o ? o.Probabilities[o.Emotion] : double.NaN;
                csv.Append(CultureInfo.InvariantCulture, $"{Csv(file)},{r.Mode},{r.Overall?.Emotion ?? (r.NoFace ? "no face" : "")},{conf:0.####},\n");
            }
            else
            {
                failures++;
                stderr.WriteLine($"skipped: {error}");
                csv.Append(CultureInfo.InvariantCulture, $"{Csv(file)},,,,{Csv(error!)}\n");
            }
        }
        AverLab.IO.AtomicFile.WriteAllText(Path.Combine(outDir, "summary.csv"), csv.ToString());
        if (results.Count > 0) Summary(results, stderr);
        if (files.Count == 0)
        {
            stderr.WriteLine($"error: {folder}: no supported files (audio, image or video) in this folder; summary.csv is empty");
            return NothingAnalysed;
        }
        stdout.WriteLine($"{results.Count} analysed, {failures} failed; results in {outDir}");
        return failures == 0 ? Ok : results.Count == 0 ? NothingAnalysed : SomeFailed;
    }

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>The results as a table on <paramref name="stderr"/> (stdout keeps the JSON).</summary>
    private static void Summary(IReadOnlyList<AnalysisResult> results, TextWriter stderr)
    {
        var table = new Table().AddColumns("file", "mode", "overall", "confidence", "segments");
        foreach (var r in results)
            table.AddRow(Markup.Escape(Path.GetFileName(r.File)), r.Mode, Markup.Escape(r.Overall?.Emotion ?? (r.NoFace ? "no face" : "-")),
                r.Overall is { } o ? o.Probabilities[o.Emotion].ToString("P1", CultureInfo.InvariantCulture) : "-",
                (r.Timeline.Count + r.Faces.Count).ToString(CultureInfo.InvariantCulture));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        console.Write(table);
    }
}
