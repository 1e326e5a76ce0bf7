using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http.Features;

namespace AverLab.Web;

/// <summary>Builds the application: settings, services (store, queue, workers, catalog), limits, the API key rule,
/// and the routes (<see cref="ApiEndpoints"/>, <see cref="AnalysisPages"/>, <see cref="ExperimentPages"/>).</summary>
public static class WebApp
{
    /// <summary>Room for the multipart framing around the file itself.</summary>
    public const long FormOverhead = 1024 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Settings are read from the final configuration (after a test host has added its own), when first needed.
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(WebOptions.DefaultUrl);
        builder.Services.AddSingleton(sp => WebOptions.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<WebOptions>((k, o) => k.Limits.MaxRequestBodySize = o.MaxUploadBytes + FormOverhead);
        builder.Services.AddOptions<FormOptions>().Configure<WebOptions>((f, o) =>
        {
            f.MultipartBodyLengthLimit = o.MaxUploadBytes + FormOverhead;
            f.ValueCountLimit = 1024;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddDataProtection();
        builder.Services.AddOptions<KeyManagementOptions>().Configure<AnalysisStore, ILoggerFactory>((k, store, logs) =>
            k.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(store.DataDir, "keys")), logs));
        builder.Services.AddAntiforgery();
        builder.Services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            j.SerializerOptions.WriteIndented = true;
        });
        builder.Services.AddSingleton(sp => new AnalysisStore(sp.GetRequiredService<WebOptions>().Data));
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<WebOptions>();
            // --models names the package folder; without it, $AVERLAB_MODELS then the repository's models/.
            return new RunCatalog(o.Experiments, o.Models is { } m ? new List<(string, string)> { (Path.GetFullPath(m), "--models") } : null);
        });
        builder.Services.AddSingleton<AnalysisQueue>();
        builder.Services.AddSingleton(sp => new UploadGate(new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = sp.GetRequiredService<WebOptions>().ConcurrentUploads, QueueLimit = 0,
        })));
        builder.Services.AddHostedService<AnalysisWorker>();

        var app = builder.Build();
        var options = app.Services.GetRequiredService<WebOptions>(); // a bad setting stops here, naming the option
        app.Services.GetRequiredService<AnalysisStore>();
        app.Use(async (ctx, next) =>
        {
            // Pages, charts and uploads are served as what they are, never framed, and load nothing from elsewhere.
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            ctx.Response.Headers.XFrameOptions = "DENY";
            ctx.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
            await next();
        });
        ApiKeyCheck.Use(app, options);
        app.MapGet("/static/app.css", () => Results.Text(Assets.Css, "text/css"));
        app.MapGet("/static/app.js", () => Results.Text(Assets.Js, "text/javascript"));
        ApiEndpoints.Map(app);
        AnalysisPages.Map(app);
        ExperimentPages.Map(app);
        return app;
    }
}

/// <summary>Limits how many uploads are received at once (beyond it: 429).</summary>
public sealed record UploadGate(RateLimiter Limiter);
