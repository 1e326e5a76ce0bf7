using System.Text.Json;
using AverLab.Inference;

namespace AverLab.Web;

/// <summary>The background workers (<see cref="WebOptions.Workers"/> of them): each takes an id from the queue, takes
/// the chosen runs from the <see cref="PredictorCache"/> (loaded once, shared), analyses the stored upload reporting its
/// progress, and stores the result or the reason it failed. A failure of one analysis (a file that does not decode, a
/// run that vanished) marks that analysis failed; the workers go on. Analyses a previous server process left
/// unfinished are queued again at start.</summary>
public sealed class AnalysisWorker(AnalysisStore store, AnalysisQueue queue, RunCatalog catalog, PredictorCache cache,
    StoreRetention retention, WebOptions options, ILogger<AnalysisWorker> log) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the server takes new uploads, so the left ones keep their place in front.
        foreach (var id in store.Unfinished()) queue.Requeue(id);
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ => Task.Run(() => Loop(stoppingToken), stoppingToken)));

    private async Task Loop(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string id;
            try { id = await queue.DequeueAsync(ct); }
            catch (OperationCanceledException) { return; }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var ran = false;
            try
            {
                if (!store.TryStart(id) || store.Get(id) is not { } record) continue; // deleted while queued
                ran = true;
                string? json = null, error = null;
                try
                {
                    // Stopping the server stops the analysis at its next window or frame; it stays "running" in the
                    // store, so the next start queues it again.
                    json = Analyze(record, p =>
                    {
                        ct.ThrowIfCancellationRequested();
                        queue.Report(id, p);
                    });
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    ran = false;
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    error = Describe(e, record, store.UploadPath(record));
                    log.LogInformation("analysis {Id} failed: {Error}", id, error);
                }
                // Before the result is visible, so a client that sees it finished sees the store within its limits.
                try { retention.Apply(DateTime.UtcNow); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
                {
                    log.LogWarning("retention: {Error}", e.Message);
                }
                store.Finish(id, json, error);
            }
            finally
            {
                queue.Finished(id, ran ? clock.Elapsed : null);
            }
        }
    }

    /// <summary>Runs one analysis; its result JSON in src/Predict's schema, with the client's file name, run names for
    /// models and Grad-CAM images as URLs of this server.</summary>
    public string Analyze(AnalysisRecord record, Action<double>? progress = null)
    {
        var scan = catalog.Scan();
        var runs = record.Runs.Select(r => scan.Run(r) ?? throw new InvalidOperationException($"run {r} is no longer in the experiments folder")).ToList();
        var leases = new List<PredictorCache.Lease>();
        try
        {
            foreach (var run in runs) leases.Add(cache.Acquire(run.Path));
            var predictors = leases.Select(l => l.Predictor).ToList();
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
            var frames = record.Kind == MediaKind.Video && face != null ? outDir : null;
            var result = analyzer.Analyze(store.UploadPath(record), new AnalysisOptions
            {
                Mode = mode, ExplainDir = explain ? outDir : null, FramesDir = frames, Progress = progress,
            });
            var names = predictors.ToDictionary(p => p.Source, p => runs[predictors.IndexOf(p)].Name);
            string Name(string m) => names.GetValueOrDefault(m, Path.GetFileName(Path.GetDirectoryName(m)) ?? m);
            result = result with
            {
                File = record.FileName,
                Models = result.Models.Select(Name).ToList(),
                Faces = result.Faces.Select((f, i) => f.Heatmap == null ? f : f with { Heatmap = $"/analyses/{record.Id}/gradcam/{i}" }).ToList(),
                Explanations = result.Explanations?.Select((e, i) => e with { Model = Name(e.Model), Image = $"/analyses/{record.Id}/explanations/{i}.png" }).ToList(),
                // Frames are files the worker wrote, served by their index (never a path from the request).
                FaceTimeline = result.FaceTimeline.Select(e => e.Frame == null ? e : e with { Frame = $"/analyses/{record.Id}/frames/{FrameIndex(e.Frame)}.jpg" }).ToList(),
                // Audio analyses say themselves why (or that only some windows are explained); others are said here.
                ExplanationsNote = result.Explanations != null ? result.ExplanationsNote : NoExplanation(record, mode, face, clip),
            };
            return AnalysisJson.Serialize(result);
        }
        finally
        {
            foreach (var l in leases) l.Dispose();
        }
    }

    /// <summary>The n of "&lt;stem&gt;.frame&lt;n&gt;.jpg", as the analyzer names the frames it keeps.</summary>
    private static int FrameIndex(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return int.Parse(name[(name.LastIndexOf(".frame", StringComparison.Ordinal) + ".frame".Length)..], System.Globalization.CultureInfo.InvariantCulture);
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
