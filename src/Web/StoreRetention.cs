namespace AverLab.Web;

/// <summary>Keeps the store bounded: deletes finished analyses (record, upload, outputs) older than
/// <see cref="WebOptions.KeepDays"/>, then the oldest finished ones while the store's uploads and outputs exceed
/// <see cref="WebOptions.MaxStoredBytes"/>. Analyses that wait or run are never deleted (their bytes still count).
/// Runs at start (with uploads a stopped server left half received), after each analysis, and every hour.</summary>
public sealed class StoreRetention(AnalysisStore store, WebOptions options, ILogger<StoreRetention> log) : BackgroundService
{
    private readonly Lock gate = new();

    /// <summary>Applies both limits now; returns how many analyses were deleted.</summary>
    public int Apply(DateTime nowUtc)
    {
        lock (gate)
        {
            var all = store.Oldest();
            var deleted = 0;
            var finished = all.Where(a => a.Status is AnalysisStatus.Done or AnalysisStatus.Failed).ToList();
            if (options.KeepDays > 0)
            {
                var cutoff = nowUtc - TimeSpan.FromDays(options.KeepDays);
                foreach (var a in finished.Where(a => a.CreatedUtc < cutoff).ToList())
                {
                    if (store.Delete(a.Id)) deleted++;
                    finished.Remove(a);
                    all.Remove(a);
                }
            }
            if (options.MaxStoredBytes > 0)
            {
                var total = all.Sum(a => store.BytesOf(a.Id, a.StoredName));
                foreach (var a in finished)
                {
                    if (total <= options.MaxStoredBytes) break;
                    var bytes = store.BytesOf(a.Id, a.StoredName);
                    if (store.Delete(a.Id)) deleted++;
                    total -= bytes;
                }
            }
            if (deleted > 0)
                log.LogInformation("retention: deleted {Count} analyses (--keep-days {Days}, --max-stored-mb {Mb})", deleted, options.KeepDays, options.MaxStoredBytes / (1024.0 * 1024));
            return deleted;
        }
    }

    /// <summary>Uploads a stopped server left half received (<c>*.part</c>).</summary>
    public int RemovePartialUploads()
    {
        var removed = 0;
        foreach (var part in Directory.EnumerateFiles(store.UploadsDir, "*.part"))
        {
            try
            {
                File.Delete(part);
                removed++;
            }
            catch (IOException) { }
        }
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RemovePartialUploads();
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try { Apply(DateTime.UtcNow); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                log.LogWarning("retention: {Error}", e.Message);
            }
        } while (await Wait(timer, stoppingToken));
    }

    private static async Task<bool> Wait(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }
}
