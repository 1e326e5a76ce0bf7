using System.Globalization;
using System.Net;
using AverLab.Inference;

namespace AverLab.Web;

/// <summary>The web application's settings, from the command line (<c>--experiments DIR</c>, <c>--models DIR</c>,
/// <c>--data DIR</c>, <c>--max-upload-mb N</c>, <c>--workers N</c>, <c>--queue N</c>, <c>--concurrent-uploads N</c>,
/// <c>--loaded-models N</c>, <c>--keep-days N</c>, <c>--max-stored-mb N</c>, <c>--api-key KEY</c>) or the environment
/// (<c>AVERLAB_WEB_API_KEY</c>, <c>AVERLAB_WEB_DATA</c>); the address comes from <c>--urls</c> / <c>ASPNETCORE_URLS</c>
/// as ASP.NET Core reads it.</summary>
public sealed record WebOptions
{
    /// <summary>The address used when neither --urls nor ASPNETCORE_URLS names one: loopback only.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>The environment variable naming the store when --data does not.</summary>
    public const string DataVariable = "AVERLAB_WEB_DATA";

    /// <summary>Folder of run folders, sweeps and cv results (read only); by default the checkout's experiments/.</summary>
    public string Experiments { get; init; } = DefaultExperiments();
    /// <summary>Model packages used when no run fits a file; null: $AVERLAB_MODELS, then the repository's models/.</summary>
    public string? Models { get; init; }
    /// <summary>The store: the analyses database (analyses.db), uploads/, per-analysis outputs and form keys
    /// (<see cref="DefaultData"/> unless --data or AVERLAB_WEB_DATA names one).</summary>
    public string Data { get; init; } = DefaultData();
    /// <summary>Largest accepted upload; a larger one is refused with 413.</summary>
    public long MaxUploadBytes { get; init; } = 200L * 1024 * 1024;
    /// <summary>Analyses run at the same time (background workers).</summary>
    public int Workers { get; init; } = 1;
    /// <summary>Analyses waiting for a worker; an upload beyond this is refused with 503 and a Retry-After.</summary>
    public int QueueCapacity { get; init; } = 1000;
    /// <summary>Uploads being received at the same time; one beyond this is refused with 429 and a Retry-After.</summary>
    public int ConcurrentUploads { get; init; } = 256;
    /// <summary>Runs (or packages) kept loaded at once; the least recently used is unloaded beyond this.</summary>
    public int LoadedModels { get; init; } = 4;
    /// <summary>Finished analyses older than this many days are deleted (0: kept however old).</summary>
    public double KeepDays { get; init; } = 30;
    /// <summary>When the store's uploads and outputs exceed this, the oldest finished analyses are deleted (0: no limit).</summary>
    public long MaxStoredBytes { get; init; } = 2048L * 1024 * 1024;
    /// <summary>Required (header X-Api-Key, or the sign-in cookie) when the server listens beyond loopback.</summary>
    public string? ApiKey { get; init; }
    /// <summary>The addresses the server listens on.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>The store when neither --data nor AVERLAB_WEB_DATA names one: the checkout's data/web/ (git-ignored,
    /// wherever the server is started from), else the user's local application data (averlab/web).</summary>
    public static string DefaultData(string? start = null)
    {
        if (ModelPackages.RepoModelsDir(start) is { } models) return Path.Combine(Path.GetDirectoryName(models)!, "data", "web");
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(string.IsNullOrEmpty(local) ? Path.GetTempPath() : local, "averlab", "web");
    }

    /// <summary>The checkout's experiments/ (so the server finds the runs wherever it is started from), else ./experiments.</summary>
    public static string DefaultExperiments(string? start = null) =>
        ModelPackages.RepoModelsDir(start) is { } models ? Path.Combine(Path.GetDirectoryName(models)!, "experiments") : "experiments";

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
        var data = config["data"] is { Length: > 0 } d ? d : config[DataVariable] is { Length: > 0 } e ? e : DefaultData();
        var options = new WebOptions
        {
            Experiments = config["experiments"] is { Length: > 0 } x ? x : DefaultExperiments(),
            Models = config["models"] is { Length: > 0 } models ? models : null,
            Data = data,
            MaxUploadBytes = (long)(Number(config, "max-upload-mb", 200, 0.001, 1e6) * 1024 * 1024),
            Workers = (int)Number(config, "workers", 1, 1, 64),
            QueueCapacity = (int)Number(config, "queue", 1000, 1, 1_000_000),
            ConcurrentUploads = (int)Number(config, "concurrent-uploads", 256, 1, 10_000),
            LoadedModels = (int)Number(config, "loaded-models", 4, 1, 256),
            KeepDays = Number(config, "keep-days", 30, 0, 36_500),
            MaxStoredBytes = (long)(Number(config, "max-stored-mb", 2048, 0, 1e9) * 1024 * 1024),
            ApiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey,
            Urls = urls.Length > 0 ? urls : [DefaultUrl],
        };
        if (options.BeyondLoopback && options.ApiKey == null)
            throw new ArgumentException($"--urls {string.Join(";", options.Urls)} listens beyond localhost: give an API key (--api-key KEY or AVERLAB_WEB_API_KEY)");
        if (options.ApiKey is { Length: < 16 })
            throw new ArgumentException("--api-key must be at least 16 characters");
        // A store smaller than one upload would delete an analysis as soon as it finished.
        if (options.MaxStoredBytes > 0 && options.MaxStoredBytes < options.MaxUploadBytes)
            throw new ArgumentException($"--max-stored-mb {config["max-stored-mb"] ?? "2048"} is smaller than --max-upload-mb {config["max-upload-mb"] ?? "200"}: the store must hold at least one upload (or 0 for no limit)");
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
