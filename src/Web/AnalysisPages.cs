using System.Globalization;
using System.Text;
using System.Text.Json;
using AverLab.Inference;
using Microsoft.AspNetCore.Antiforgery;
using static AverLab.Web.Html;

namespace AverLab.Web;

/// <summary>The Analyse pages: the upload form (drag-and-drop, mode, runs), the list of analyses, and a results page
/// (dominant emotion, probabilities, average and over-time charts, faces with boxes, Grad-CAM, the JSON).</summary>
public static class AnalysisPages
{
    private static readonly string[] Modes = ["auto", "audio", "image", "video", "combined"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/", Home);
        app.MapPost("/analyses", (Delegate)((HttpContext ctx) => ApiEndpoints.Accept(ctx, browser: true)));
        app.MapGet("/analyses", (AnalysisStore store) => Page("Analyses", "<h1>Analyses</h1>" + AnalysesTable(store.List())));
        app.MapGet("/analyses/{id}", Results_);
        app.MapGet("/analyses/{id}/result.json", (string id, AnalysisStore store) =>
            store.Get(id) is { ResultJson: { } json } r
                ? Results.File(Encoding.UTF8.GetBytes(json + "\n"), "application/json", Path.GetFileNameWithoutExtension(r.FileName) + ".averlab.json")
                : ApiEndpoints.Error(404, $"no finished analysis with id '{id}'"));
        app.MapGet("/analyses/{id}/charts/{chart}.png", (string id, string chart, AnalysisStore store) =>
        {
            if (Load(store, id) is not { } result) return ApiEndpoints.Error(404, $"no finished analysis with id '{id}'");
            return chart switch
            {
                "average" when result.Overall != null => Results.File(Charts.Png(Charts.Average(result.Overall)), "image/png"),
                "timeline" when result.Timeline.Count > 0 => Results.File(Charts.Png(Charts.Timeline(result.Timeline)), "image/png"),
                "audio-timeline" when result.AudioTimeline.Count > 0 => Results.File(Charts.Png(Charts.Timeline(result.AudioTimeline, "Audio windows"), 560, 320), "image/png"),
                "face-timeline" when result.FaceTimeline.Count > 0 => Results.File(Charts.Png(Charts.Timeline(result.FaceTimeline, "Faces in frames"), 560, 320), "image/png"),
                _ => ApiEndpoints.Error(404, $"analysis {id} has no chart '{chart}'"),
            };
        });
        app.MapGet("/analyses/{id}/media", (string id, AnalysisStore store) =>
        {
            if (store.Get(id) is not { } r || !File.Exists(store.UploadPath(r))) return ApiEndpoints.Error(404, $"no media for analysis '{id}'");
            // Ranges, so the player can seek in a long video.
            return Results.File(store.UploadPath(r), MediaSniffer.ContentTypeOf(Path.GetExtension(r.StoredName)), enableRangeProcessing: true);
        });
        app.MapGet("/analyses/{id}/frames/{n:int}.jpg", (string id, int n, AnalysisStore store) =>
        {
            if (store.Get(id) is not { } r) return ApiEndpoints.Error(404, $"no analysis with id '{id}'");
            // Frames are files the worker wrote, named by their index (never a path from the request).
            var path = Path.Combine(store.OutputDir(r.Id), $"{r.Id}.frame{n.ToString(CultureInfo.InvariantCulture)}.jpg");
            return File.Exists(path) ? Results.File(path, "image/jpeg") : ApiEndpoints.Error(404, $"analysis {id} has no frame {n}");
        });
        app.MapGet("/analyses/{id}/gradcam/{n:int}", (string id, int n, AnalysisStore store) =>
        {
            if (store.Get(id) is not { } r) return ApiEndpoints.Error(404, $"no analysis with id '{id}'");
            var path = Path.Combine(store.OutputDir(r.Id), $"{r.Id}.face{n.ToString(CultureInfo.InvariantCulture)}.gradcam.png");
            return File.Exists(path) ? Results.File(path, "image/png") : ApiEndpoints.Error(404, $"analysis {id} has no Grad-CAM image {n}");
        });
        app.MapGet("/analyses/{id}/explanations/{n:int}.png", (string id, int n, AnalysisStore store) =>
        {
            if (Load(store, id) is not { } result) return ApiEndpoints.Error(404, $"no finished analysis with id '{id}'");
            if (result.Explanations is not { } list || n < 0 || n >= list.Count) return ApiEndpoints.Error(404, $"analysis {id} has no explanation {n}");
            if (list[n].Kind == "shapley") return Results.File(Charts.Png(Charts.Attributions(list[n]), 720, 420), "image/png");
            // Grad-CAM images are files the worker wrote, named by the explanation's index (never a path from the request).
            var path = Path.Combine(store.OutputDir(id), $"{id}.explanation{n.ToString(CultureInfo.InvariantCulture)}.png");
            return File.Exists(path) ? Results.File(path, "image/png") : ApiEndpoints.Error(404, $"analysis {id} has no explanation image {n}");
        });
        app.MapGet("/login", (HttpContext ctx, IAntiforgery af) =>
        {
            var t = af.GetAndStoreTokens(ctx);
            return Page("Sign in", $"""
                <h1>Sign in</h1><p>This server listens beyond localhost: give its API key.</p>
                <form method="post" action="/login"><input type="hidden" name="{E(t.FormFieldName)}" value="{E(t.RequestToken)}">
                <input type="password" name="key" id="key" autocomplete="off"> <button type="submit">Sign in</button></form>
                """);
        });
        app.MapPost("/login", async (HttpContext ctx, IAntiforgery af, WebOptions options) =>
        {
            try { await af.ValidateRequestAsync(ctx); }
            catch (AntiforgeryValidationException) { return ApiEndpoints.Error(400, "the form's antiforgery token is missing or stale: reload the page"); }
            var form = await ctx.Request.ReadFormAsync();
            if (options.ApiKey == null || !ApiKeyCheck.Matches(form["key"].FirstOrDefault(), options.ApiKey))
                return Page("Sign in", "<h1>Sign in</h1><p class=\"error\">Wrong key.</p><p><a href=\"/login\">Try again</a></p>", 401);
            ctx.Response.Cookies.Append(ApiKeyCheck.Cookie, options.ApiKey, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = ctx.Request.IsHttps, IsEssential = true,
            });
            return Results.Redirect("/");
        }).DisableAntiforgery();
    }

    private static AnalysisResult? Load(AnalysisStore store, string id) =>
        store.Get(id) is { ResultJson: { } json } ? JsonSerializer.Deserialize<AnalysisResult>(json, AnalysisJson.Options) : null;

    private static IResult Home(HttpContext ctx, IAntiforgery af, RunCatalog catalog, AnalysisStore store, WebOptions options)
    {
        var t = af.GetAndStoreTokens(ctx);
        var runs = catalog.Scan().Runs.Where(r => r.Roles != null).ToList();
        var runRows = runs.Select(r => new[]
        {
            $"<input type=\"checkbox\" name=\"runs\" value=\"{E(r.Id)}\" id=\"run-{E(r.Id)}\">", $"<label for=\"run-{E(r.Id)}\">{E(r.Name)}</label>",
            E(r.Model), E(r.RolesText), WithCi(r.Accuracy, r.AccuracyCi),
        });
        var body = new StringBuilder($"""
            <h1>Analyse a file</h1>
            <form id="upload-form" action="/analyses" method="post" enctype="multipart/form-data">
            <input type="hidden" name="{E(t.FormFieldName)}" value="{E(t.RequestToken)}">
            <div id="drop"><p>Drop an audio, image or video file here, or choose one:</p><input type="file" id="file" name="file"
              accept="audio/*,image/*,video/*"><p class="muted">At most {options.MaxUploadBytes / (1024.0 * 1024):0.#} MB; the type is read from the content.</p></div>
            <p><label>Mode <select name="mode" id="mode">{string.Join("", Modes.Select(m => $"<option>{m}</option>"))}</select></label></p>
            <h2>Runs</h2><p class="muted">None chosen: the newest run that fits the file.</p>
            """);
        body.Append(runs.Count == 0 ? "<p class=\"error\">No trained run in the experiments folder yet.</p>" : Table(["", "run", "model", "analyses", "test accuracy [95% CI]"], runRows, "runs"));
        body.Append("""
            <p><button type="submit" id="analyse">Analyse</button> <progress id="upload-progress" max="1" hidden></progress> <span id="upload-status"></span></p>
            </form><h2>Recent analyses</h2>
            """);
        body.Append(AnalysesTable(store.List(10)));
        return Page("Analyse", body.ToString());
    }

    private static string AnalysesTable(List<AnalysisRecord> list) =>
        list.Count == 0 ? "<p class=\"muted\">None yet.</p>" : Table(["file", "kind", "mode", "status", "emotion", "uploaded (UTC)"], list.Select(r => new[]
        {
            $"<a href=\"/analyses/{r.Id}\">{E(r.FileName)}</a>", E(r.Kind.ToString().ToLowerInvariant()), E(r.Mode), E(r.Status),
            E(ApiEndpoints.Emotion(r) ?? (r.Status == AnalysisStatus.Failed ? "(failed)" : "")), E(r.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        }), "analyses");

    private static IResult Results_(string id, AnalysisStore store, RunCatalog catalog, AnalysisQueue queue)
    {
        if (store.Get(id) is not { } r) return Page("Not found", $"<h1>Not found</h1><p class=\"error\">No analysis with id '{E(id)}'.</p>", 404);
        var scan = catalog.Scan();
        var runNames = r.Runs.Select(x => scan.Run(x)?.Name ?? x);
        var body = new StringBuilder($"""
            <h1>Analysis of {E(r.FileName)}</h1>
            <p class="muted">{E(r.Kind.ToString().ToLowerInvariant())} · mode {E(r.Mode)} · runs: {E(string.Join(", ", runNames))} · uploaded {E(r.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC</p>
            """);
        if (r.Status is AnalysisStatus.Queued or AnalysisStatus.Running)
        {
            // The script keeps these up to date from GET /api/analyses/{id}; without it, a reload does.
            var position = queue.PositionOf(r.Id);
            var progress = queue.ProgressOf(r.Id);
            body.Append($"<div id=\"pending\" data-id=\"{r.Id}\"><p><span class=\"state\" id=\"state\">{E(r.Status)}</span> ");
            body.Append($"<span id=\"queue-position\">{E(position is { } p ? QueueText(p, queue.Waiting, queue.EstimatedStartSeconds(p)) : "")}</span></p>");
            body.Append(progress is { } f
                ? $"<progress id=\"analysis-progress\" max=\"1\" value=\"{f.ToString("0.###", CultureInfo.InvariantCulture)}\"></progress> <span id=\"progress-text\">{f.ToString("P0", CultureInfo.InvariantCulture)}</span></div>"
                : "<progress id=\"analysis-progress\" max=\"1\"></progress> <span id=\"progress-text\"></span></div>");
            return Page("Analysis", body.ToString());
        }
        if (r.Status == AnalysisStatus.Failed || r.ResultJson == null)
        {
            body.Append($"<p class=\"error\" id=\"analysis-error\">The analysis failed: {E(r.Error)}</p>");
            return Page("Analysis failed", body.ToString());
        }
        var result = JsonSerializer.Deserialize<AnalysisResult>(r.ResultJson, AnalysisJson.Options)!;
        if (result.Overall is { } o)
        {
            body.Append($"<p class=\"dominant\">Dominant emotion: <strong id=\"dominant\">{E(o.Emotion)}</strong> ({o.Probabilities[o.Emotion].ToString("P1", CultureInfo.InvariantCulture)})</p>");
            body.Append(Table(["emotion", "probability"], o.Probabilities.OrderByDescending(kv => kv.Value).Select(kv => new[] { E(kv.Key), N(kv.Value, "0.0000") }), "probabilities"));
            body.Append($"<h2>Average emotions</h2><img class=\"chart\" id=\"chart-average\" src=\"/analyses/{r.Id}/charts/average.png\" alt=\"average emotions\">");
        }
        if (result.Timeline.Count > 0)
        {
            var what = result.Mode == "audio" ? "audio windows" : result.Mode == "combined" ? "fused audio windows and video frames" : "video frames";
            body.Append($"<h2>Emotions over time</h2><p class=\"muted\">{result.Timeline.Count} {what}</p>");
            body.Append($"<img class=\"chart\" id=\"chart-timeline\" src=\"/analyses/{r.Id}/charts/timeline.png\" alt=\"emotions over time\">");
            body.Append(Table(["start (s)", "end (s)", "emotion", "probability"], result.Timeline.Select(e => new[]
                { N(e.Start, "0.###"), N(e.End, "0.###"), E(e.Emotion), N(e.Probabilities[e.Emotion], "0.000") }), "timeline"));
        }
        if (r.Kind == MediaKind.Image)
        {
            body.Append("<h2>Faces</h2>");
            body.Append($"<div class=\"faces\"><img id=\"media\" src=\"/analyses/{r.Id}/media\" alt=\"uploaded image\">");
            foreach (var f in result.Faces)
                body.Append(CultureInfo.InvariantCulture, $"<div class=\"face-box\" data-x=\"{f.X}\" data-y=\"{f.Y}\" data-w=\"{f.Width}\" data-h=\"{f.Height}\"><span>{E(f.Emotion)}</span></div>");
            body.Append("</div>");
            if (result.NoFace) body.Append("<p id=\"no-face\">No face was found in this image.</p>");
            else
                body.Append(Table(["face", "box (x, y, w, h)", "emotion", "probability", "Grad-CAM"], result.Faces.Select((f, i) => new[]
                {
                    (i + 1).ToString(CultureInfo.InvariantCulture), E($"{f.X}, {f.Y}, {f.Width}, {f.Height}"), E(f.Emotion), N(f.Probabilities[f.Emotion], "0.000"),
                    f.Heatmap == null ? "–" : $"<img class=\"gradcam\" src=\"{E(f.Heatmap)}\" alt=\"Grad-CAM of face {i + 1}\" width=\"96\">",
                }), "faces"));
        }
        else if (r.Kind == MediaKind.Video) Video(body, r, result);
        if (result.Explanations is { Count: > 0 } || result.ExplanationsNote != null)
        {
            body.Append("<h2>Explanations</h2>");
            if (result.ExplanationsNote != null) body.Append($"<p id=\"explanations-note\" class=\"muted\">{E(result.ExplanationsNote)}</p>");
            body.Append("<div class=\"explanations\">");
            foreach (var (e, i) in (result.Explanations ?? []).Select((e, i) => (e, i)))
            {
                var what = e.Kind == "gradcam" ? $"Grad-CAM of {e.Stage}" : "Shapley values";
                body.Append(CultureInfo.InvariantCulture, $"<figure class=\"explanation\" data-kind=\"{E(e.Kind)}\"><img class=\"explanation\" id=\"explanation-{i}\" src=\"{E(e.Image ?? "")}\" alt=\"{E(what)} for {E(e.Target)}, {e.Start:0.##}-{e.End:0.##} s\">");
                body.Append(CultureInfo.InvariantCulture, $"<figcaption>{E(e.Model)}: {E(e.Method)} ({e.Start:0.##}-{e.End:0.##} s, class {E(e.Target)})</figcaption></figure>");
            }
            body.Append("</div>");
        }
        body.Append($"<p><a id=\"download\" href=\"/analyses/{r.Id}/result.json\" download>Download the result JSON</a> (the schema of src/Predict)</p>");
        body.Append($"<p><button type=\"button\" id=\"delete\" data-id=\"{r.Id}\">Delete this analysis</button> <span class=\"muted\">the upload, its results and its record</span></p>");
        return Page("Analysis", body.ToString());
    }

    /// <summary>"position 3 of 12, starts in about 40 s".</summary>
    public static string QueueText(int position, int waiting, double seconds) =>
        FormattableString.Invariant($"position {position} of {waiting}, starts in about {Math.Max(1, Math.Round(seconds))} s");

    /// <summary>A video's faces (the kept frames with the face each estimate was made from, and a box over the player
    /// following the face timeline) and its audio and face timelines side by side.</summary>
    private static void Video(StringBuilder body, AnalysisRecord r, AnalysisResult result)
    {
        if (result.NoFace) body.Append("<p id=\"no-face\">No face was found in the video's frames.</p>");
        var framed = result.FaceTimeline.Where(e => e.Frame != null && e.Box != null).ToList();
        if (result.FaceTimeline.Count > 0)
        {
            body.Append("<h2>Faces in the video</h2>");
            body.Append($"<div class=\"player\" id=\"player-wrap\"><video id=\"player\" controls preload=\"metadata\" data-id=\"{r.Id}\" src=\"/analyses/{r.Id}/media\"></video>");
            body.Append("<div class=\"face-box\" id=\"player-box\" hidden><span></span></div></div>");
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">The face each frame's estimate was made from: {framed.Count} of the {result.FaceTimeline.Count} frames with a face.</p>");
            body.Append("<div class=\"frame-strip\" id=\"frame-strip\">");
            foreach (var e in framed)
            {
                var b = e.Box!;
                body.Append(CultureInfo.InvariantCulture, $"<figure class=\"frame faces\"><img src=\"{E(e.Frame)}\" alt=\"frame at {e.Start:0.##} s\">");
                body.Append(CultureInfo.InvariantCulture, $"<div class=\"face-box\" data-x=\"{b.X}\" data-y=\"{b.Y}\" data-w=\"{b.Width}\" data-h=\"{b.Height}\" data-fw=\"{b.FrameWidth}\" data-fh=\"{b.FrameHeight}\"><span>{E(e.Emotion)}</span></div>");
                body.Append(CultureInfo.InvariantCulture, $"<figcaption>{e.Start:0.##} s · {E(e.Emotion)} {e.Probabilities[e.Emotion]:0.00}</figcaption></figure>");
            }
            body.Append("</div>");
        }
        body.Append("<h2>Audio and faces side by side</h2><div class=\"timelines\">");
        Side(body, r, "audio-timeline", "Audio", result.AudioTimeline, "windows", "No audio was analysed (no audio track, or no audio run chosen).");
        Side(body, r, "face-timeline", "Faces", result.FaceTimeline, "frames with a face", result.NoFace ? "No face was found in the video's frames." : "No face run was chosen.");
        body.Append("</div>");
    }

    private static void Side(StringBuilder body, AnalysisRecord r, string id, string title, IReadOnlyList<TimelineEntry> entries, string unit, string none)
    {
        body.Append(CultureInfo.InvariantCulture, $"<section class=\"side\" id=\"{id}\"><h3>{E(title)}</h3>");
        if (entries.Count == 0)
        {
            body.Append($"<p class=\"muted\">{E(none)}</p></section>");
            return;
        }
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{entries.Count} {E(unit)}</p>");
        body.Append($"<img class=\"chart\" id=\"chart-{id}\" src=\"/analyses/{r.Id}/charts/{id}.png\" alt=\"{E(title)} over time\">");
        body.Append("<div class=\"scroll\">");
        body.Append(Table(["start (s)", "end (s)", "emotion", "probability"], entries.Select(e => new[]
            { N(e.Start, "0.###"), N(e.End, "0.###"), E(e.Emotion), N(e.Probabilities[e.Emotion], "0.000") }), id + "-table"));
        body.Append("</div></section>");
    }
}
