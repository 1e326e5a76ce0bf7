using System.Text.Json.Nodes;
using AverLab.Inference;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;

namespace AverLab.Web;

/// <summary>The JSON API (README "Web application"): POST /api/analyses (multipart, field <c>file</c>, optional
/// <c>mode</c> and <c>runs</c>), GET /api/analyses/{id}, GET /api/analyses, DELETE /api/analyses/{id}, GET /api/runs;
/// A-V-E-R's POST /upload and GET /analysis/{file} as aliases; and the upload handler the browser form shares.</summary>
public static class ApiEndpoints
{
    public static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    public static void Map(WebApplication app)
    {
        app.MapPost("/api/analyses", (Delegate)((HttpContext ctx) => Accept(ctx, browser: false)));
        app.MapPost("/upload", (Delegate)((HttpContext ctx) => Accept(ctx, browser: false)));
        app.MapGet("/api/analyses", (AnalysisStore store) => Results.Json(store.List().Select(Summary)));
        app.MapGet("/api/analyses/{id}", (string id, AnalysisStore store, AnalysisQueue queue) => Status(id, store, queue));
        app.MapGet("/analysis/{id}", (string id, AnalysisStore store, AnalysisQueue queue) => Status(id, store, queue));
        app.MapDelete("/api/analyses/{id}", (string id, AnalysisStore store, AnalysisQueue queue) =>
        {
            if (store.Get(id) is not { } r) return Error(404, $"no analysis with id '{Short(id)}'");
            if (r.Status == AnalysisStatus.Running) return Error(409, $"analysis {id} is running; delete it when it has finished");
            queue.Remove(id);
            store.Delete(id);
            return Results.NoContent();
        });
        app.MapGet("/api/runs", (RunCatalog catalog) => Results.Json(catalog.Scan().Runs.Select(r => new
        {
            r.Id, r.Name, r.Model, r.Corpus, r.Split, r.Epochs, r.Accuracy, AccuracyCi95 = r.AccuracyCi, r.MacroF1, MacroF1Ci95 = r.MacroF1Ci,
            CreatedUtc = r.CreatedUtc, Analyses = r.RolesText, r.Problem,
        })));
    }

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;

    private static object Summary(AnalysisRecord r) => new
    {
        r.Id, r.Status, File = r.FileName, Kind = r.Kind.ToString().ToLowerInvariant(), r.Mode, r.Runs, r.CreatedUtc, r.FinishedUtc,
        Emotion = Emotion(r), r.Error,
    };

    public static string? Emotion(AnalysisRecord r) =>
        r.ResultJson is { } json ? JsonNode.Parse(json)?["overall"]?["emotion"]?.ToString() : null;

    /// <summary>Where a queued or running analysis stands: its place in the queue (1 = next), the queue's length and the
    /// expected wait, or the fraction done.</summary>
    public static object Pending(AnalysisRecord r, AnalysisQueue queue)
    {
        var position = queue.PositionOf(r.Id);
        return new
        {
            r.Id, r.Status, File = r.FileName, QueuePosition = position, QueueLength = queue.Waiting,
            EstimatedStartSeconds = position is { } p ? Math.Round(queue.EstimatedStartSeconds(p), 1) : (double?)null,
            Progress = r.Status == AnalysisStatus.Running ? Math.Round(queue.ProgressOf(r.Id) ?? 0, 3) : (double?)null,
        };
    }

    /// <summary>Queued/running: <see cref="Pending"/>; done: the result JSON (src/Predict's schema) with
    /// id, status and the top-level <c>emotion</c> added; failed: the reason.</summary>
    private static IResult Status(string id, AnalysisStore store, AnalysisQueue queue)
    {
        if (store.Get(id) is not { } r) return Error(404, $"no analysis with id '{Short(id)}'");
        if (r.Status == AnalysisStatus.Done && r.ResultJson != null)
        {
            var result = JsonNode.Parse(r.ResultJson)!.AsObject();
            var o = new JsonObject { ["id"] = r.Id, ["status"] = r.Status, ["emotion"] = result["overall"]?["emotion"]?.DeepClone() };
            foreach (var (k, v) in result) o[k] = v?.DeepClone();
            return Results.Content(o.ToJsonString(AnalysisJson.Options), "application/json");
        }
        if (r.Status == AnalysisStatus.Failed)
            return Results.Json(new { r.Id, r.Status, File = r.FileName, r.Error });
        return Results.Json(Pending(r, queue));
    }

    /// <summary>Receives an upload: size (413), concurrency (429), a full queue (503), type by content (415), mode and
    /// runs (400/422); the media streams to the uploads folder under a server-made name and the analysis joins the
    /// queue. Answers 202 with the id and the queue position (the browser form without script: a redirect to the
    /// results page). Every refusal for being busy carries Retry-After.</summary>
    public static async Task<IResult> Accept(HttpContext ctx, bool browser)
    {
        var services = ctx.RequestServices;
        var options = services.GetRequiredService<WebOptions>();
        var store = services.GetRequiredService<AnalysisStore>();
        var queue = services.GetRequiredService<AnalysisQueue>();
        var tooLarge = $"the file is larger than the limit of {options.MaxUploadBytes / (1024.0 * 1024):0.###} MB (--max-upload-mb)";
        if (ctx.Request.ContentLength > options.MaxUploadBytes + WebApp.FormOverhead) return Error(413, tooLarge);
        using var lease = services.GetRequiredService<UploadGate>().Limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            ctx.Response.Headers.RetryAfter = "1";
            return Error(429, $"too many uploads being received at once (limit {options.ConcurrentUploads}, --concurrent-uploads): try again in a second");
        }
        // Refused before the file is read when the queue is already full; checked again when the analysis joins it.
        if (queue.Waiting >= queue.Capacity) return QueueFull(ctx, queue);

        var id = AnalysisStore.NewId();
        var part = Path.Combine(store.UploadsDir, id + ".part");
        ReceivedUpload upload;
        try
        {
            upload = await UploadReceiver.Receive(ctx.Request, part, options.MaxUploadBytes, tooLarge, ctx.RequestAborted);
        }
        catch (UploadException e)
        {
            return Error(e.Status, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Error(400, "the upload was cancelled before it was complete");
        }
        var kept = false;
        try
        {
            if (browser)
            {
                // The token came in the form we have read ourselves: hand its fields to the antiforgery check.
                ctx.Features.Set<IFormFeature>(new FormFeature(new FormCollection(upload.Fields)));
                try { await services.GetRequiredService<IAntiforgery>().ValidateRequestAsync(ctx); }
                catch (AntiforgeryValidationException) { return Error(400, "the form's antiforgery token is missing or stale: reload the page and try again"); }
            }
            if (upload.PartPath == null) return Error(400, "no file: send the media in the multipart field 'file'");
            var name = Path.GetFileName((upload.FileName ?? "").Replace('\\', '/'));
            if (string.IsNullOrWhiteSpace(name)) name = "upload";
            if (name.Length > 200) name = name[..200];
            if (upload.Length == 0) return Error(400, $"{name}: the file is empty");
            if (MediaSniffer.Sniff(upload.Header) is not { } type)
                return Error(415, $"{name}: not an audio, image or video file this server reads (the type is decided by the content, not the name: WAV, FLAC, Ogg, MP3, AAC/M4A, PNG, JPEG, BMP, MP4/MOV, MKV/WebM, AVI, FLV)");
            var modeText = upload.Fields.GetValueOrDefault("mode").FirstOrDefault() is { Length: > 0 } m ? m : "auto";
            if (!Enum.TryParse<AnalysisMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(modeText, out _))
                return Error(400, $"mode '{Short(modeText)}' is not one of auto, audio, image, video, combined");
            if (RunSelection.CheckMode(type.Kind, mode) is { } modeError) return Error(400, $"{name}: {modeError}");
            var ids = upload.Fields.GetValueOrDefault("runs").SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var (runs, status, runError) = RunSelection.Choose(services.GetRequiredService<RunCatalog>().Scan(), type.Kind, mode, ids);
            if (runError != null) return Error(status, runError);

            var record = new AnalysisRecord
            {
                Id = id, CreatedUtc = DateTime.UtcNow, Status = AnalysisStatus.Queued, FileName = name, Kind = type.Kind,
                StoredName = id + type.Extension, Mode = mode.ToString().ToLowerInvariant(), Runs = runs.Select(r => r.Id).ToList(),
            };
            try
            {
                File.Move(part, store.UploadPath(record));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Error(500, $"{name}: the upload could not be stored: {e.Message}");
            }
            store.Insert(record);
            if (!queue.TryEnqueue(id))
            {
                store.Delete(id);
                return QueueFull(ctx, queue);
            }
            kept = true;
            if (browser && !ctx.Request.Headers.XRequestedWith.Any())
                return Results.Redirect($"/analyses/{id}", permanent: false, preserveMethod: false);
            ctx.Response.Headers.Location = $"/api/analyses/{id}";
            return Results.Json(new
            {
                id, Status = AnalysisStatus.Queued, QueuePosition = queue.PositionOf(id), Url = $"/analyses/{id}", Api = $"/api/analyses/{id}",
            }, statusCode: 202);
        }
        finally
        {
            if (!kept) UploadReceiver.Delete(part);
        }
    }

    private static IResult QueueFull(HttpContext ctx, AnalysisQueue queue)
    {
        var seconds = queue.RetryAfterSeconds();
        ctx.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Error(503, $"the analysis queue is full ({queue.Capacity} waiting, --queue): try again in about {seconds} s");
    }
}
