using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
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
        var options = WebOptions.From(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(WebOptions.DefaultUrl);
        var limit = options.MaxUploadBytes + FormOverhead;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = limit);
        builder.Services.Configure<FormOptions>(f =>
        {
            f.MultipartBodyLengthLimit = limit;
            f.ValueCountLimit = 1024;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var store = new AnalysisStore(options.Data);
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(store.DataDir, "keys")));
        builder.Services.AddAntiforgery();
        builder.Services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            j.SerializerOptions.WriteIndented = true;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new RunCatalog(options.Experiments));
        builder.Services.AddSingleton<AnalysisQueue>();
        builder.Services.AddSingleton(new UploadGate(new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.ConcurrentUploads, QueueLimit = 0,
        })));
        builder.Services.AddHostedService<AnalysisWorker>();

        var app = builder.Build();
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
