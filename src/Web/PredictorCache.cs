using AverLab.FrontEnds;
using AverLab.Inference;

namespace AverLab.Web;

/// <summary>The loaded runs (and model packages), one <see cref="Predictor"/> each, shared by the workers: loaded on
/// first use, loaded again when the run's model.json or checkpoint changes on disk, and at most
/// <see cref="WebOptions.LoadedModels"/> kept (the least recently used is unloaded once no analysis holds it).</summary>
public sealed class PredictorCache(WebOptions options, ILogger<PredictorCache>? log = null) : IDisposable
{
    /// <summary>One loaded copy of a run and the analyses holding it.</summary>
    private sealed class Loaded(Predictor predictor)
    {
        public Predictor Predictor { get; } = predictor;
        public int Leases;
        /// <summary>Replaced by a newer copy: disposed when its last holder is done.</summary>
        public bool Retired;
    }

    private sealed class Entry
    {
        public Loaded? Current;
        public string Stamp = "";
        public long LastUsed;
        public readonly SemaphoreSlim Loading = new(1, 1);
    }

    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private long clock;
    private int loads;
    private bool disposed;

    /// <summary>How many times a predictor was loaded from disk (first use, a changed file, or after eviction).</summary>
    public int Loads => Volatile.Read(ref loads);

    /// <summary>Runs loaded now (held by an analysis or kept for the next).</summary>
    public int Count
    {
        get { lock (gate) return entries.Values.Count(e => e.Current != null); }
    }

    /// <summary>A loaded predictor for a run folder, held until the lease is disposed (never unloaded meanwhile).</summary>
    public Lease Acquire(string folder)
    {
        folder = Path.GetFullPath(folder);
        Entry entry;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!entries.TryGetValue(folder, out entry!)) entries[folder] = entry = new Entry();
        }
        // Loading is per run: an analysis with another run does not wait for this checkpoint to be read.
        entry.Loading.Wait();
        try
        {
            var stamp = Stamp(folder);
            bool current;
            lock (gate) current = entry.Current != null && entry.Stamp == stamp;
            if (!current)
            {
                var predictor = Predictor.Load(folder);
                Interlocked.Increment(ref loads);
                lock (gate)
                {
                    if (entry.Current is { } old)
                    {
                        old.Retired = true;
                        if (old.Leases == 0) old.Predictor.Dispose();
                        log?.LogInformation("{Folder} changed on disk: loaded again", folder);
                    }
                    entry.Current = new Loaded(predictor);
                    entry.Stamp = stamp;
                }
            }
            lock (gate)
            {
                var loaded = entry.Current!;
                loaded.Leases++;
                entry.LastUsed = ++clock;
                Evict();
                return new Lease(this, loaded);
            }
        }
        finally
        {
            entry.Loading.Release();
        }
    }

    private void Release(Loaded loaded)
    {
        lock (gate)
        {
            loaded.Leases--;
            if (loaded.Retired && loaded.Leases == 0) loaded.Predictor.Dispose();
            if (!disposed) Evict();
        }
    }

    /// <summary>Unloads the least recently used runs no analysis holds while more than the limit are loaded (called
    /// under the lock; a run being acquired now is never chosen).</summary>
    private void Evict()
    {
        while (entries.Values.Count(e => e.Current != null) > options.LoadedModels)
        {
            var victim = entries.Where(kv => kv.Value.Current is { Leases: 0 } && kv.Value.Loading.CurrentCount == 1)
                .OrderBy(kv => kv.Value.LastUsed).FirstOrDefault();
            if (victim.Value == null) return; // all in use: the extra ones go when released
            victim.Value.Current!.Predictor.Dispose();
            victim.Value.Current = null;
            victim.Value.Stamp = "";
            log?.LogInformation("{Folder} unloaded (more than {Limit} runs loaded)", victim.Key, options.LoadedModels);
        }
    }

    /// <summary>What identifies the files a predictor is made of: model.json and the checkpoint it names (size and
    /// last write time of each).</summary>
    public static string Stamp(string folder)
    {
        var card = Path.Combine(folder, AverLab.Runs.RunLayout.ModelJson);
        var parts = new List<string> { Of(card) };
        try
        {
            var checkpoint = ModelCard.Load(card).Checkpoint;
            parts.Add(Of(Path.IsPathRooted(checkpoint) ? checkpoint : Path.Combine(folder, checkpoint)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            parts.Add("unreadable"); // Predictor.Load says what is wrong
        }
        return string.Join("|", parts);

        static string Of(string path)
        {
            var f = new FileInfo(path);
            return f.Exists ? $"{f.Length}:{f.LastWriteTimeUtc.Ticks}" : "missing";
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            // Predictors still held (a worker stopping mid-analysis) go when released.
            foreach (var e in entries.Values)
                if (e.Current is { } c)
                {
                    c.Retired = true;
                    if (c.Leases == 0) c.Predictor.Dispose();
                }
            entries.Clear();
        }
    }

    /// <summary>A predictor held for one analysis.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly PredictorCache cache;
        private readonly Loaded loaded;
        private int released;

        internal Lease(PredictorCache cache, object loaded)
        {
            this.cache = cache;
            this.loaded = (Loaded)loaded;
        }

        public Predictor Predictor => loaded.Predictor;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) cache.Release(loaded);
        }
    }
}
