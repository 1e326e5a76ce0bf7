using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AverLab.Inference;
using AverLab.Media;
using AverLab.Training.Experiments;
using Spectre.Console;

namespace AverLab.Predict;

/// <summary>Analyses files with trained runs and writes JSON results (schema: result.schema.json). A folder is
/// batch mode: one JSON per file plus summary.csv; a bad file is reported and the batch goes on.</summary>
public static class PredictCli
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static RootCommand Build()
    {
        var input = new Argument<string>("input") { Description = "an audio, image or video file, or a folder of them (batch mode)" };
        var model = new Option<string?>("--model", "-m") { Description = "run folder or model.json of a trained model: audio, face, or a clip model (fusion LSTM, AV transformer, LRCN, ConvLSTM) that reads video windows through its own front end; its inputs decide" };
        var audioModel = new Option<string?>("--audio-model") { Description = "audio run for video/combined analysis (late fusion)" };
        var faceModel = new Option<string?>("--face-model") { Description = "face run for image/video/combined analysis" };
        var mode = new Option<AnalysisMode>("--mode") { Description = "auto (by extension and content), audio, image, video or combined", DefaultValueFactory = _ => AnalysisMode.Auto };
        var window = new Option<double?>("--window") { Description = "audio window in seconds for timelines (default: the model's clip length)" };
        var fps = new Option<double>("--fps") { Description = "video frames analysed per second", DefaultValueFactory = _ => 4 };
        var audioWeight = new Option<double>("--audio-weight") { Description = "late-fusion weight of the audio model (face: 1 - this)", DefaultValueFactory = _ => 0.5 };
        var output = new Option<string?>("--out", "-o") { Description = "results.json for one file; a folder for batch mode" };
        var explain = new Option<bool>("--explain") { Description = "Grad-CAM heatmap PNG per detected face (images, face ResNet models), next to the JSON output" };
        var root = new RootCommand("AverLab inference: emotion of a file, or an emotion timeline, as JSON.")
        {
            input, model, audioModel, faceModel, mode, window, fps, audioWeight, output, explain,
        };
        root.SetAction(p =>
        {
            try
            {
                return Run(p.GetValue(input)!, p.GetValue(model), p.GetValue(audioModel), p.GetValue(faceModel), new AnalysisOptions
                {
                    Mode = p.GetValue(mode), Window = p.GetValue(window), Fps = p.GetValue(fps), AudioWeight = p.GetValue(audioWeight),
                }, p.GetValue(output), p.GetValue(explain));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or NotSupportedException or System.Runtime.InteropServices.ExternalException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return root;
    }

    private static int Run(string input, string? model, string? audioModel, string? faceModel, AnalysisOptions options, string? output, bool explain)
    {
        if (model == null && audioModel == null && faceModel == null) throw new ArgumentException("give --model (or --audio-model / --face-model); see --help");
        using var main = model != null ? Predictor.Load(model) : null;
        using var audio = audioModel != null ? Predictor.Load(audioModel) : null;
        using var face = faceModel != null ? Predictor.Load(faceModel) : null;
        var a = audio ?? (main is { TakesAudio: true } ? main : null);
        var f = face ?? (main is { TakesFaces: true } ? main : null);
        var c = main is { TakesClips: true } ? main : null;
        if (main != null && a != main && f != main && c != main)
            throw new ArgumentException($"{main.Source}: model {main.Card.Model} takes {main.Inputs} from features.kind {main.Card.Features.Kind}, which this CLI cannot build");
        if (c != null && (audio != null || face != null))
            throw new ArgumentException($"{c.Source}: a clip model ({c.Card.Model}) analyses videos on its own; leave out --audio-model/--face-model");
        if (explain && f == null) throw new ArgumentException("--explain needs a face model (--model of a face run, or --face-model)");
        if (explain)
            options = options with
            {
                ExplainDir = Directory.Exists(input) ? output ?? Path.Combine(input, "averlab-results")
                    : output != null ? Path.GetDirectoryName(Path.GetFullPath(output)) : Directory.GetCurrentDirectory(),
            };
        using var analyzer = new Analyzer(a, f, c);
        if (Directory.Exists(input)) return Batch(analyzer, input, options, output ?? Path.Combine(input, "averlab-results"));
        var result = analyzer.Analyze(input, options);
        var json = JsonSerializer.Serialize(result, Json);
        if (output != null) AverLab.IO.AtomicFile.WriteAllText(output, json + "\n");
        else Console.WriteLine(json);
        Summary([result]);
        return 0;
    }

    private static int Batch(Analyzer analyzer, string folder, AnalysisOptions options, string outDir)
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
            try
            {
                var r = analyzer.Analyze(file, options);
                results.Add(r);
                var name = Path.GetRelativePath(folder, file).Replace('/', '_') + ".json";
                AverLab.IO.AtomicFile.WriteAllText(Path.Combine(outDir, name), JsonSerializer.Serialize(r, Json) + "\n");
                var conf = r.Overall is { } o ? o.Probabilities[o.Emotion] : double.NaN;
                csv.Append(CultureInfo.InvariantCulture, $"{Csv(file)},{r.Mode},{r.Overall?.Emotion ?? (r.NoFace ? "no face" : "")},{conf:0.####},\n");
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or NotSupportedException or System.Runtime.InteropServices.ExternalException)
            {
                failures++;
                Console.Error.WriteLine($"skipped: {e.Message}");
                csv.Append(CultureInfo.InvariantCulture, $"{Csv(file)},,,,{Csv(e.Message)}\n");
            }
        }
        AverLab.IO.AtomicFile.WriteAllText(Path.Combine(outDir, "summary.csv"), csv.ToString());
        Summary(results);
        Console.WriteLine($"{results.Count} analysed, {failures} failed; results in {outDir}");
        return failures > 0 && results.Count == 0 ? 1 : 0;
    }

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static void Summary(IReadOnlyList<AnalysisResult> results)
    {
        var table = new Table().AddColumns("file", "mode", "overall", "confidence", "segments");
        foreach (var r in results)
            table.AddRow(Markup.Escape(Path.GetFileName(r.File)), r.Mode, Markup.Escape(r.Overall?.Emotion ?? (r.NoFace ? "no face" : "-")),
                r.Overall is { } o ? o.Probabilities[o.Emotion].ToString("P1", CultureInfo.InvariantCulture) : "-",
                (r.Timeline.Count + r.Faces.Count).ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Console.Profile.Out = new AnsiConsoleOutput(Console.Error);
        AnsiConsole.Write(table);
    }
}
