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
    /// <summary>Every response's policy: scripts, styles, media and connections from this server only, no inline script
    /// or style, no plugins, never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

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
        builder.Services.AddSingleton<PredictorCache>();
        builder.Services.AddSingleton<StoreRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreRetention>());
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
            // Pages, charts and uploads are served as what they are, never framed, run only this server's own script
            // and style files, load nothing from elsewhere, and tell no other site where the user came from.
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            ctx.Response.Headers.XFrameOptions = "DENY";
            ctx.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            ctx.Response.Headers["Referrer-Policy"] = "no-referrer";
            ctx.Response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
            await next();
        });
        ApiKeyCheck.Use(app, options);
        Assets.Map(app);
        ApiEndpoints.Map(app);
        AnalysisPages.Map(app);
        ExperimentPages.Map(app);
        return app;
    }
}

/// <summary>Limits how many uploads are received at once (beyond it: 429).</summary>
public sealed record UploadGate(RateLimiter Limiter);
