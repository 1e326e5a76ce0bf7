using System.Collections.Concurrent;

namespace AverLab.Web;

/// <summary>The analyses waiting for a worker, in the order they were accepted, and those running with their progress.
/// Only ids are held here (the uploads are on disk), so the queue can be long: <see cref="TryEnqueue"/> refuses only
/// beyond <see cref="WebOptions.QueueCapacity"/>, and then <see cref="RetryAfterSeconds"/> says when room is likely.</summary>
public sealed class AnalysisQueue(WebOptions options)
{
    /// <summary>What an analysis is assumed to take until one has been timed.</summary>
    public const double AssumedSeconds = 10;

    private readonly LinkedList<string> waiting = new();
    private readonly SemaphoreSlim available = new(0);
    private readonly ConcurrentDictionary<string, double> running = new();
    private readonly Lock gate = new();
    private double meanSeconds = AssumedSeconds;
    private int timed;

    public int Capacity => options.QueueCapacity;

    public int Waiting
    {
        get { lock (gate) return waiting.Count; }
    }

    public int Running => running.Count;

    /// <summary>Adds an analysis at the end; false when <see cref="Capacity"/> are already waiting.</summary>
    public bool TryEnqueue(string id)
    {
        lock (gate)
        {
            if (waiting.Count >= options.QueueCapacity) return false;
            waiting.AddLast(id);
        }
        available.Release();
        return true;
    }

    /// <summary>For analyses left from a previous run of the server: queued whatever the capacity (they were accepted).</summary>
    public void Requeue(string id)
    {
        lock (gate) waiting.AddLast(id);
        available.Release();
    }

    /// <summary>Takes the analysis that has waited longest, and marks it running (progress 0).</summary>
    public async Task<string> DequeueAsync(CancellationToken ct)
    {
        while (true)
        {
            await available.WaitAsync(ct);
            lock (gate)
            {
                // A removed analysis leaves its release behind: take the next, or wait again.
                if (waiting.First is not { } first) continue;
                waiting.RemoveFirst();
                running[first.Value] = 0;
                return first.Value;
            }
        }
    }

    /// <summary>Takes a waiting analysis out (it was deleted); false when it is not waiting.</summary>
    public bool Remove(string id)
    {
        lock (gate) return waiting.Remove(id);
    }

    /// <summary>1 for the next analysis to run, and so on; null when the analysis is not waiting.</summary>
    public int? PositionOf(string id)
    {
        lock (gate)
        {
            var position = 1;
            for (var node = waiting.First; node != null; node = node.Next, position++)
                if (node.Value == id) return position;
            return null;
        }
    }

    /// <summary>The fraction done of a running analysis (0 to 1); null when it is not running.</summary>
    public double? ProgressOf(string id) => running.TryGetValue(id, out var p) ? p : null;

    public void Report(string id, double progress)
    {
        if (running.ContainsKey(id)) running[id] = Math.Clamp(progress, 0, 1);
    }

    /// <summary>Marks a running analysis finished, and counts how long it took into the mean that
    /// <see cref="RetryAfterSeconds"/> and <see cref="EstimatedStartSeconds"/> use (null: it did not run).</summary>
    public void Finished(string id, TimeSpan? took)
    {
        running.TryRemove(id, out _);
        if (took == null) return; // not run (deleted while it waited)
        lock (gate)
        {
            // The mean of the first 20, then an exponential mean that follows changes of load and media.
            timed++;
            var weight = Math.Max(1.0 / timed, 0.05);
            meanSeconds = timed == 1 ? took.Value.TotalSeconds : meanSeconds + weight * (took.Value.TotalSeconds - meanSeconds);
        }
    }

    /// <summary>Seconds an analysis has taken here on average (<see cref="AssumedSeconds"/> before the first).</summary>
    public double MeanSeconds
    {
        get { lock (gate) return meanSeconds; }
    }

    /// <summary>Seconds until an analysis at <paramref name="position"/> is likely to start.</summary>
    public double EstimatedStartSeconds(int position) =>
        MeanSeconds * Math.Ceiling((double)(position - 1 + Running) / options.Workers);

    /// <summary>When a refused upload should come back: the time the workers need to make room for it, 1 s to 1 h.</summary>
    public int RetryAfterSeconds()
    {
        var waitingNow = Waiting;
        var overflow = Math.Max(1, waitingNow - options.QueueCapacity + 1);
        var seconds = MeanSeconds * Math.Ceiling((double)overflow / options.Workers);
        return (int)Math.Clamp(Math.Ceiling(seconds), 1, 3600);
    }
}
