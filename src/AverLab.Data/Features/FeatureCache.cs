using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using AverLab.Data.Corpora;
using AverLab.IO;

namespace AverLab.Data.Features;

/// <summary>A disk cache of extracted features keyed by (file content hash, extractor config hash). Layout:
/// <code>
/// root/&lt;extractor name&gt;-&lt;config hash&gt;/shard-&lt;id&gt;.safetensors   one F32 entry per item, named by the
///                                                                 SHA-256 of the file's bytes
/// root/&lt;extractor name&gt;-&lt;config hash&gt;/failures.json              items the last fill could not use
/// </code>
/// A fill hashes every file, extracts only what no shard holds, on every core; each worker writes its results as a
/// shard atomically (temp file + rename) every <see cref="FeatureCacheOptions.ShardSize"/> items and on cancellation,
/// so a fill that is cancelled or killed and run again recomputes only what is missing. Identical content maps to one
/// entry whatever its path; a changed file gets a new key, and a new extractor setting a new folder.</summary>
public sealed class FeatureCache
{
    private readonly IFeatureExtractor extractor;
    private readonly ConcurrentDictionary<string, FeatureArray> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long length, DateTime modified, string key)> keyOfPath = new(StringComparer.Ordinal);
    private readonly List<SkippedItem> loadProblems = [];

    public FeatureCache(string root, IFeatureExtractor extractor)
    {
        this.extractor = extractor;
        if (string.IsNullOrWhiteSpace(extractor.Name) || extractor.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"extractor name '{extractor.Name}' cannot name a folder");
        Folder = Path.Combine(root, $"{extractor.Name}-{extractor.ConfigHash}");
        Directory.CreateDirectory(Folder);
        LoadShards();
    }

    /// <summary>The folder of this extractor configuration.</summary>
    public string Folder { get; }
    public int Count => entries.Count;
    /// <summary>Shards that could not be read when the cache was opened (their items are recomputed).</summary>
    public IReadOnlyList<SkippedItem> LoadProblems => loadProblems;
    public string FailuresPath => Path.Combine(Folder, "failures.json");

    private void LoadShards()
    {
        foreach (var shard in Directory.EnumerateFiles(Folder, "shard-*.safetensors").Order(StringComparer.Ordinal))
        {
            try
            {
                var (raw, _) = SafeTensors.ReadRaw(shard);
                foreach (var (key, e) in raw) entries[key] = new FeatureArray(e.ToFloat32(), e.Shape);
            }
            catch (Exception e) when (e is SafeTensorsFormatException or IOException or InvalidDataException or ArgumentException)
            {
                loadProblems.Add(new SkippedItem(shard, $"unreadable cache shard, ignored ({e.Message})"));
            }
        }
    }

    /// <summary>SHA-256 of the file's bytes, hex. Memoized per (path, length, modification time).</summary>
    public string ContentKey(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: file does not exist", path);
        if (keyOfPath.TryGetValue(path, out var k) && k.length == info.Length && k.modified == info.LastWriteTimeUtc) return k.key;
        using var f = File.OpenRead(path);
        var key = Convert.ToHexStringLower(SHA256.HashData(f));
        keyOfPath[path] = (info.Length, info.LastWriteTimeUtc, key);
        return key;
    }

    /// <summary>The cached features of a file, if present.</summary>
    public bool TryGet(string path, out FeatureArray features)
    {
        features = null!;
        try { return entries.TryGetValue(ContentKey(path), out features!); }
        catch (IOException) { return false; }
    }

    public FeatureArray Get(string path) =>
        TryGet(path, out var f) ? f : throw new KeyNotFoundException($"{path}: no cached {extractor.Name} features (fill the cache first)");

    /// <summary>Computes every missing item. Unreadable items (any IOException, InvalidDataException or
    /// NotSupportedException from hashing or the extractor) are reported in the result and failures.json, never
    /// thrown. Cancellation stops workers after their current item, saves what they finished and then throws
    /// OperationCanceledException.</summary>
    public FeatureCacheResult Fill(IReadOnlyList<string> paths, FeatureCacheOptions? options = null,
        IProgress<FeatureCacheProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new FeatureCacheOptions();
        if (options.ShardSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "ShardSize must be >= 1");
        var failed = new ConcurrentBag<SkippedItem>();
        var keys = new string?[paths.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancel };
        Parallel.For(0, paths.Count, parallel, i =>
        {
            try { keys[i] = ContentKey(paths[i]); }
            catch (Exception e) when (IsItemError(e)) { failed.Add(new SkippedItem(paths[i], $"cannot read: {e.Message}")); }
        });
        // One job per distinct missing content; identical files share it.
        var todo = new ConcurrentQueue<(string key, string path)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reused = 0;
        for (var i = 0; i < paths.Count; i++)
        {
            if (keys[i] is not { } key) continue;
            if (entries.ContainsKey(key)) { reused++; continue; }
            if (seen.Add(key)) todo.Enqueue((key, paths[i]));
            else reused++;
        }
        var total = paths.Count;
        var computed = 0;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var reportLock = new object();
        void Report(bool force)
        {
            if (progress == null) return;
            lock (reportLock)
            {
                if (!force && clock.Elapsed - lastReport < options.ProgressInterval) return;
                lastReport = clock.Elapsed;
                var c = Volatile.Read(ref computed);
                var rate = c / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
                var left = todo.Count;
                TimeSpan? eta = c > 0 ? TimeSpan.FromSeconds(left / rate) : null;
                progress.Report(new FeatureCacheProgress(reused + c + failed.Count, total, c, failed.Count, rate, eta));
            }
        }
        Report(true);
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(options.Parallelism, todo.Count))).Select(_ => Task.Factory.StartNew(() =>
        {
            var buffer = new Dictionary<string, SafeTensorEntry>(StringComparer.Ordinal);
            var sources = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                while (!cancel.IsCancellationRequested && todo.TryDequeue(out var job))
                {
                    try
                    {
                        var f = extractor.Extract(job.path);
                        if (f.ElementCount != f.Data.Length)
                            throw new InvalidDataException($"extractor {extractor.Name} returned {f.Data.Length} values for shape [{string.Join(", ", f.Shape)}]");
                        buffer[job.key] = SafeTensorEntry.From(f.Data, f.Shape);
                        sources[job.key] = job.path;
                        entries[job.key] = f;
                        Interlocked.Increment(ref computed);
                    }
                    catch (Exception e) when (IsItemError(e))
                    {
                        failed.Add(new SkippedItem(job.path, e.Message.StartsWith(job.path, StringComparison.Ordinal) ? e.Message : $"{job.path}: {e.Message}"));
                    }
                    if (buffer.Count >= options.ShardSize) Flush(buffer, sources);
                    Report(false);
                }
            }
            finally
            {
                Flush(buffer, sources);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        Task.WaitAll(workers);
        Report(true);
        var failures = failed.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        AtomicFile.WriteAllText(FailuresPath, JsonSerializer.Serialize(failures, new JsonSerializerOptions { WriteIndented = true }));
        cancel.ThrowIfCancellationRequested();
        return new FeatureCacheResult(computed, reused, failures);
    }

    private void Flush(Dictionary<string, SafeTensorEntry> buffer, Dictionary<string, string> sources)
    {
        if (buffer.Count == 0) return;
        var id = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join(",", buffer.Keys.Order(StringComparer.Ordinal)))))[..16];
        var meta = sources.ToDictionary(kv => "source:" + kv.Key, kv => kv.Value);
        meta["extractor"] = extractor.Name;
        meta["config_hash"] = extractor.ConfigHash;
        SafeTensors.WriteRaw(Path.Combine(Folder, $"shard-{id}.safetensors"), buffer, meta);
        buffer.Clear();
        sources.Clear();
    }

    private static bool IsItemError(Exception e) =>
        e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException or FormatException;
}
