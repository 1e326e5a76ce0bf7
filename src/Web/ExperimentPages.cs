using System.Globalization;
using System.Text;
using static AverLab.Web.Html;

namespace AverLab.Web;

/// <summary>The Experiments pages: every run (model, corpus, split, accuracy and macro F1 with their 95% CIs, its
/// report), a comparison of chosen runs (curves and metrics), sweeps (trials and ASHA rungs) and cv results. Runs,
/// sweeps and cv folders are named by opaque ids; no route takes a path from the request.</summary>
public static class ExperimentPages
{
    private static readonly string[] Metrics = ["val_acc", "train_acc", "val_loss", "train_loss", "lr"];

    /// <summary>The policy of a run's report.html: inline style and images only, sandboxed.</summary>
    public const string ReportPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox; frame-ancestors 'none'";

    public static void Map(WebApplication app)
    {
        app.MapGet("/experiments", (RunCatalog catalog) => Index(catalog));
        app.MapGet("/experiments/runs/{id}/report", (string id, RunCatalog catalog, HttpContext ctx) =>
        {
            if (catalog.Scan().Run(id) is not { HasReport: true } r) return ApiEndpoints.Error(404, $"no run with a report has id '{id}'");
            // A run's report is a file made to open offline: its own inline style and embedded images, and nothing
            // else (no script at all, in a sandbox).
            ctx.Response.Headers.ContentSecurityPolicy = ReportPolicy;
            return Results.File(Path.Combine(r.Path, AverLab.Runs.RunLayout.ReportHtml), "text/html; charset=utf-8");
        });
        app.MapGet("/experiments/compare", (HttpContext ctx, RunCatalog catalog) => Compare(ctx.Request.Query["runs"].OfType<string>().ToList(), catalog));
        app.MapGet("/experiments/compare/{metric}.png", (string metric, HttpContext ctx, RunCatalog catalog) =>
        {
            if (!Metrics.Contains(metric)) return ApiEndpoints.Error(404, $"unknown metric '{metric}' (known: {string.Join(", ", Metrics)})");
            var scan = catalog.Scan();
            var runs = ctx.Request.Query["runs"].OfType<string>().Distinct().Select(scan.Run).OfType<RunInfo>().ToList();
            if (runs.Count == 0) return ApiEndpoints.Error(404, "none of the given run ids is known");
            var series = runs.Select(r =>
            {
                var h = RunCatalog.ReadHistory(r.Path);
                return (r.Name, h.GetValueOrDefault("epoch", []), h.GetValueOrDefault(metric, []));
            }).ToList();
            return Results.File(Charts.Png(Charts.Curves(metric, series), 720, 400), "image/png");
        });
        app.MapGet("/experiments/sweeps/{id}", (string id, RunCatalog catalog) => Sweep(id, catalog));
        app.MapGet("/experiments/sweeps/{id}/rungs.png", (string id, RunCatalog catalog) =>
        {
            if (catalog.Scan().Sweep(id) is not { } s) return ApiEndpoints.Error(404, $"no sweep with id '{id}'");
            var (header, _) = RunCatalog.ReadCsv(Path.Combine(s.Path, AverLab.Runs.RunLayout.SweepResultsCsv));
            return Results.File(Charts.Png(Charts.Rungs(header.Length > 4 ? header[4] : "metric", RunCatalog.ReadJobs(s.Path))), "image/png");
        });
        app.MapGet("/experiments/cv/{id}", (string id, RunCatalog catalog) => Cv(id, catalog));
    }

    private static string RunLink(RunInfo r) => r.HasReport ? $"<a href=\"/experiments/runs/{r.Id}/report\">{E(r.Name)}</a>" : E(r.Name);

    private static IResult Index(RunCatalog catalog)
    {
        var scan = catalog.Scan();
        var body = new StringBuilder($"<h1>Experiments</h1><p class=\"muted\">{E(catalog.Root)}: {scan.Runs.Count} runs, {scan.Sweeps.Count} sweeps, {scan.Cvs.Count} cv results.</p>");
        body.Append("<h2>Runs</h2>");
        if (scan.Runs.Count == 0) body.Append("<p class=\"muted\">No run folders yet (README: Everyday use).</p>");
        else
        {
            body.Append("<form id=\"compare-form\" method=\"get\" action=\"/experiments/compare\">");
            body.Append(Table(["", "run (report)", "model", "corpus", "split", "epochs", "test accuracy [95% CI]", "macro F1 [95% CI]", "started (UTC)"], scan.Runs.Select(r => new[]
            {
                $"<input type=\"checkbox\" name=\"runs\" value=\"{E(r.Id)}\">", RunLink(r) + (r.Problem != null ? $"<br><span class=\"error\">{E(r.Problem)}</span>" : ""),
                E(r.Model), E(r.Corpus), E(r.Split), E(r.Epochs?.ToString(CultureInfo.InvariantCulture) ?? "–"),
                WithCi(r.Accuracy, r.AccuracyCi), WithCi(r.MacroF1, r.MacroF1Ci), E(r.CreatedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            }), "runs"));
            body.Append("<button type=\"submit\" id=\"compare\">Compare the chosen runs</button></form>");
        }
        body.Append("<h2>Sweeps</h2>");
        body.Append(scan.Sweeps.Count == 0 ? "<p class=\"muted\">None.</p>" : Table(["sweep", "trials", "jobs run"], scan.Sweeps.Select(s => new[]
            { $"<a href=\"/experiments/sweeps/{s.Id}\">{E(s.Name)}</a>", s.Trials.ToString(CultureInfo.InvariantCulture), s.Jobs.ToString(CultureInfo.InvariantCulture) }), "sweeps"));
        body.Append("<h2>Cross-validation</h2>");
        body.Append(scan.Cvs.Count == 0 ? "<p class=\"muted\">None.</p>" : Table(["cv", "folds", "accuracy (mean ± sd)", "macro F1 (mean ± sd)"], scan.Cvs.Select(c => new[]
            { $"<a href=\"/experiments/cv/{c.Id}\">{E(c.Name)}</a>", c.Folds.ToString(CultureInfo.InvariantCulture), $"{N(c.AccuracyMean)} ± {N(c.AccuracyStd)}", $"{N(c.MacroF1Mean)} ± {N(c.MacroF1Std)}" }), "cvs"));
        return Page("Experiments", body.ToString());
    }

    private static IResult Compare(List<string> ids, RunCatalog catalog)
    {
        var scan = catalog.Scan();
        var runs = ids.Distinct().Select(scan.Run).OfType<RunInfo>().ToList();
        if (runs.Count == 0) return Page("Compare", "<h1>Compare runs</h1><p class=\"error\">Choose one or more runs on the <a href=\"/experiments\">Experiments</a> page.</p>", 400);
        var query = string.Join("&", runs.Select(r => "runs=" + Uri.EscapeDataString(r.Id)));
        var body = new StringBuilder($"<h1>Compare {runs.Count} runs</h1>");
        body.Append(Table(["run", "model", "corpus", "split", "epochs", "test accuracy [95% CI]", "macro F1 [95% CI]", "best val acc (epoch)"], runs.Select(r =>
        {
            var h = RunCatalog.ReadHistory(r.Path);
            var val = h.GetValueOrDefault("val_acc", []);
            var best = val.Select((v, i) => (v, i)).Where(x => double.IsFinite(x.v)).DefaultIfEmpty((double.NaN, -1)).MaxBy(x => x.Item1);
            var epoch = best.Item2 >= 0 && h.TryGetValue("epoch", out var ep) && best.Item2 < ep.Length ? ep[best.Item2].ToString(CultureInfo.InvariantCulture) : "–";
            return new[] { RunLink(r), E(r.Model), E(r.Corpus), E(r.Split), E(r.Epochs?.ToString(CultureInfo.InvariantCulture) ?? "–"),
                WithCi(r.Accuracy, r.AccuracyCi), WithCi(r.MacroF1, r.MacroF1Ci), $"{N(best.Item1)} ({epoch})" };
        }), "compare-table"));
        foreach (var m in new[] { "val_acc", "train_loss", "val_loss" })
            body.Append($"<img class=\"chart compare-chart\" id=\"chart-{m}\" src=\"/experiments/compare/{m}.png?{E(query)}\" alt=\"{m} per epoch\">");
        return Page("Compare runs", body.ToString());
    }

    private static IResult Sweep(string id, RunCatalog catalog)
    {
        var scan = catalog.Scan();
        if (scan.Sweep(id) is not { } s) return Page("Not found", $"<p class=\"error\">No sweep with id '{E(id)}'.</p>", 404);
        var body = new StringBuilder($"<h1>Sweep {E(s.Name)}</h1><p class=\"muted\">{s.Trials} trials, {s.Jobs} jobs run (ASHA: a job per trial and rung).</p>");
        var (header, rows) = RunCatalog.ReadCsv(Path.Combine(s.Path, AverLab.Runs.RunLayout.SweepResultsCsv));
        var trialRuns = scan.Runs.Where(r => r.Path.StartsWith(Path.Combine(s.Path, AverLab.Runs.RunLayout.SweepTrialsDir) + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
        body.Append(header.Length == 0 ? "<p class=\"muted\">No results.csv yet.</p>" : Table(header.Append("run"), rows.Select(row =>
        {
            var trial = row.Length > 1 && int.TryParse(row[1], CultureInfo.InvariantCulture, out var t) ? t : -1;
            var run = trialRuns.FirstOrDefault(r => r.Name.EndsWith($"trial-{trial:D3}", StringComparison.Ordinal));
            return row.Select(c => E(c)).Append(run == null ? "–" : RunLink(run));
        }), "trials"));
        body.Append($"<h2>ASHA rungs</h2><img class=\"chart\" id=\"chart-rungs\" src=\"/experiments/sweeps/{s.Id}/rungs.png\" alt=\"metric by rung\">");
        var best = Path.Combine(s.Path, AverLab.Runs.RunLayout.SweepBestConfigYaml);
        if (File.Exists(best)) body.Append("<h2>Best config</h2><pre>").Append(E(File.ReadAllText(best))).Append("</pre>");
        if (trialRuns.Count > 0)
            body.Append($"<p><a href=\"/experiments/compare?{E(string.Join("&", trialRuns.Select(r => "runs=" + r.Id)))}\">Compare the trials' curves</a></p>");
        return Page("Sweep", body.ToString());
    }

    private static IResult Cv(string id, RunCatalog catalog)
    {
        var scan = catalog.Scan();
        if (scan.Cv(id) is not { } c) return Page("Not found", $"<p class=\"error\">No cv result with id '{E(id)}'.</p>", 404);
        var folds = RunCatalog.ReadFolds(c.Path);
        var foldRuns = folds.Select(f => scan.Runs.FirstOrDefault(r => r.Path == Path.Combine(c.Path, $"fold-{f.Fold}") || r.Path == f.Run)).ToList();
        var body = new StringBuilder($"<h1>Cross-validation {E(c.Name)}</h1><p>{c.Folds} folds: accuracy {N(c.AccuracyMean)} ± {N(c.AccuracyStd)}, macro F1 {N(c.MacroF1Mean)} ± {N(c.MacroF1Std)} (mean ± sample sd).</p>");
        body.Append(Table(["fold", "accuracy", "macro F1", "balanced accuracy", "run"], folds.Select((f, i) => new[]
        {
            f.Fold.ToString(CultureInfo.InvariantCulture), N(f.Accuracy), N(f.MacroF1), N(f.Balanced), foldRuns[i] is { } r ? RunLink(r) : "–",
        }), "folds"));
        var known = foldRuns.OfType<RunInfo>().ToList();
        if (known.Count > 0)
            body.Append($"<p><a href=\"/experiments/compare?{E(string.Join("&", known.Select(r => "runs=" + r.Id)))}\">Compare the folds' curves</a></p>");
        return Page("Cross-validation", body.ToString());
    }
}
