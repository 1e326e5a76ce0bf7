using System.Text.Json;
using AverLab.Inference;

namespace AverLab.Web;

/// <summary>The background workers (<see cref="WebOptions.Workers"/> of them): each takes an id from the queue, loads
/// the chosen runs, analyses the stored upload and stores the result or the reason it failed. A failure of one
/// analysis (a file that does not decode, a run that vanished) marks that analysis failed; the workers go on.
/// Analyses a previous server process left unfinished are queued again at start.</summary>
public sealed class AnalysisWorker(AnalysisStore store, AnalysisQueue queue, RunCatalog catalog, WebOptions options, ILogger<AnalysisWorker> log)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(() => Loop(stoppingToken), stoppingToken)).ToList();
        loops.Add(Task.Run(async () =>
        {
            foreach (var id in store.Unfinished()) await queue.EnqueueAsync(id, stoppingToken);
        }, stoppingToken));
        return Task.WhenAll(loops);
    }

    private async Task Loop(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string id;
            try { id = await queue.DequeueAsync(ct); }
            catch (OperationCanceledException) { return; }
            if (!store.TryStart(id)) continue; // deleted while queued
            var record = store.Get(id);
            if (record == null) continue;
            string? json = null, error = null;
            try
            {
                json = Analyze(record);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                error = Describe(e, record, store.UploadPath(record));
                log.LogInformation("analysis {Id} failed: {Error}", id, error);
            }
            store.Finish(id, json, error);
        }
    }

    /// <summary>Runs one analysis; its result JSON in src/Predict's schema, with the client's file name, run names for
    /// models and Grad-CAM images as URLs of this server.</summary>
    public string Analyze(AnalysisRecord record)
    {
        var scan = catalog.Scan();
        var runs = record.Runs.Select(r => scan.Run(r) ?? throw new InvalidOperationException($"run {r} is no longer in the experiments folder")).ToList();
        var predictors = new List<Predictor>();
        try
        {
            foreach (var run in runs) predictors.Add(Predictor.Load(run.Path));
            var clip = predictors.FirstOrDefault(p => p.TakesClips);
            var audio = predictors.FirstOrDefault(p => p.TakesAudio);
            var face = predictors.FirstOrDefault(p => p.TakesFaces);
            var mode = Enum.Parse<AnalysisMode>(record.Mode, ignoreCase: true);
            // Explained: the faces of an image (face ResNets), an audio file's windows (Grad-CAM of conv models, Shapley
            // values of feature-vector models).
            var audioAnalysis = audio != null && (mode == AnalysisMode.Audio || (mode == AnalysisMode.Auto && record.Kind == MediaKind.Audio));
            var explain = (record.Kind == MediaKind.Image && face is { CanExplain: true }) || audioAnalysis;
            var outDir = store.OutputDir(record.Id);
            using var analyzer = new Analyzer(audio, face, clip);
            var result = analyzer.Analyze(store.UploadPath(record), new AnalysisOptions { Mode = mode, ExplainDir = explain ? outDir : null });
            var names = predictors.ToDictionary(p => p.Source, p => runs[predictors.IndexOf(p)].Name);
            string Name(string m) => names.GetValueOrDefault(m, Path.GetFileName(Path.GetDirectoryName(m)) ?? m);
            result = result with
            {
                File = record.FileName,
                Models = result.Models.Select(Name).ToList(),
                Faces = result.Faces.Select((f, i) => f.Heatmap == null ? f : f with { Heatmap = $"/analyses/{record.Id}/gradcam/{i}" }).ToList(),
                Explanations = result.Explanations?.Select((e, i) => e with { Model = Name(e.Model), Image = $"/analyses/{record.Id}/explanations/{i}.png" }).ToList(),
                // Audio analyses say themselves why (or that only some windows are explained); others are said here.
                ExplanationsNote = result.Explanations != null ? result.ExplanationsNote : NoExplanation(record, mode, face, clip),
            };
            return AnalysisJson.Serialize(result);
        }
        finally
        {
            foreach (var p in predictors) p.Dispose();
        }
    }

    /// <summary>Why an analysis that is not of audio windows has no explanations here (null when its faces have Grad-CAM).</summary>
    private static string? NoExplanation(AnalysisRecord record, AnalysisMode mode, Predictor? face, Predictor? clip)
    {
        if (record.Kind == MediaKind.Image)
            return face is { CanExplain: true } ? null
                : $"Grad-CAM is drawn for face ResNets that read the crop alone; {face?.Card.Model ?? "this model"}{(face?.Card.Features.Landmarks == true ? " also reads landmarks" : " is not one")}";
        return clip != null
            ? $"{clip.Card.Model} analyses whole clips: explanations of clip models are not drawn here (averlab-train explain --run <run> explains its test clips)"
            : $"explanations are drawn for audio windows and face images; the frames of a {mode.ToString().ToLowerInvariant()} analysis are not explained";
    }

    /// <summary>One line naming the file (the client's name, never the server's path) and the problem.</summary>
    public static string Describe(Exception e, AnalysisRecord record, string uploadPath)
    {
        var message = e.Message.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
        message = message.Replace(Path.GetFullPath(uploadPath), record.FileName).Replace(uploadPath, record.FileName);
        if (!message.Contains(record.FileName, StringComparison.Ordinal)) message = $"{record.FileName}: {message}";
        return message;
    }
}
