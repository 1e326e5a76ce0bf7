using System.Globalization;
using System.Net;

namespace AverLab.Web;

/// <summary>The web application's settings, from the command line (<c>--experiments DIR</c>, <c>--models DIR</c>, <c>--data DIR</c>,
/// <c>--max-upload-mb N</c>, <c>--workers N</c>, <c>--queue N</c>, <c>--api-key KEY</c>) or the environment
/// (<c>AVERLAB_WEB_API_KEY</c>); the address comes from <c>--urls</c> / <c>ASPNETCORE_URLS</c> as ASP.NET Core reads it.</summary>
public sealed record WebOptions
{
    /// <summary>The address used when neither --urls nor ASPNETCORE_URLS names one: loopback only.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Folder of run folders, sweeps and cv results (read only).</summary>
    public string Experiments { get; init; } = "experiments";
    /// <summary>Model packages used when no run fits a file; null: $AVERLAB_MODELS, then the repository's models/.</summary>
    public string? Models { get; init; }
    /// <summary>Folder of the analyses database (analyses.db), uploads/ and per-analysis outputs.</summary>
    public string Data { get; init; } = Path.Combine("data", "web");
    /// <summary>Largest accepted upload; a larger one is refused with 413.</summary>
    public long MaxUploadBytes { get; init; } = 200L * 1024 * 1024;
    /// <summary>Analyses run at the same time (background workers).</summary>
    public int Workers { get; init; } = 1;
    /// <summary>Analyses waiting for a worker; an upload beyond this is refused with 503.</summary>
    public int QueueCapacity { get; init; } = 32;
    /// <summary>Uploads being received at the same time; one beyond this is refused with 429.</summary>
    public int ConcurrentUploads { get; init; } = 8;
    /// <summary>Required (header X-Api-Key, or the sign-in cookie) when the server listens beyond loopback.</summary>
    public string? ApiKey { get; init; }
    /// <summary>The addresses the server listens on.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>True when some address is not loopback (0.0.0.0, *, +, a host name or a non-loopback IP).</summary>
    public bool BeyondLoopback => Urls.Any(u => !IsLoopback(u));

    public bool RequiresApiKey => BeyondLoopback || !string.IsNullOrEmpty(ApiKey);

    public static bool IsLoopback(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var slash = rest.IndexOf('/');
        if (slash >= 0) rest = rest[..slash];
        string host;
        if (rest.StartsWith('['))
            host = rest[1..Math.Max(1, rest.IndexOf(']'))];
        else
        {
            var colon = rest.LastIndexOf(':');
            host = colon >= 0 ? rest[..colon] : rest;
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>Reads and checks the settings; a bad value is an <see cref="ArgumentException"/> naming the option.</summary>
    public static WebOptions From(IConfiguration config)
    {
        var urls = (config["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var apiKey = config["api-key"] ?? config["AVERLAB_WEB_API_KEY"];
        var options = new WebOptions
        {
            Experiments = config["experiments"] ?? "experiments",
            Models = config["models"] is { Length: > 0 } models ? models : null,
            Data = config["data"] ?? Path.Combine("data", "web"),
            MaxUploadBytes = (long)(Number(config, "max-upload-mb", 200, 0.001, 1e6) * 1024 * 1024),
            Workers = (int)Number(config, "workers", 1, 1, 64),
            QueueCapacity = (int)Number(config, "queue", 32, 1, 100_000),
            ConcurrentUploads = (int)Number(config, "concurrent-uploads", 8, 1, 1000),
            ApiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey,
            Urls = urls.Length > 0 ? urls : [DefaultUrl],
        };
        if (options.BeyondLoopback && options.ApiKey == null)
            throw new ArgumentException($"--urls {string.Join(";", options.Urls)} listens beyond localhost: give an API key (--api-key KEY or AVERLAB_WEB_API_KEY)");
        if (options.ApiKey is { Length: < 16 })
            throw new ArgumentException("--api-key must be at least 16 characters");
        return options;
    }

    private static double Number(IConfiguration config, string key, double fallback, double min, double max)
    {
        var text = config[key];
        if (text == null) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < min || v > max)
            throw new ArgumentException($"--{key} must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}], got '{text}'");
        return v;
    }
}
