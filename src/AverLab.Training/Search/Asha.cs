namespace AverLab.Training.Search;

/// <summary>Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning",
/// 2020), the scheduling half only: rung k trains to min_epochs·η^k epochs; when a worker is free, the highest rung
/// with a trial in its top 1/η that was not yet promoted gives the next job, otherwise a new trial starts at rung
/// 0. Pure bookkeeping, so the sweep runner can persist it and resume.</summary>
public sealed class Asha
{
    public sealed record Job(int Trial, int Rung, int Epochs);

    private readonly int eta;
    private readonly int minEpochs;
    private readonly int maxEpochs;
    private readonly int trialCount;
    private readonly bool maximize;
    private readonly List<Dictionary<int, double>> rungs = [];
    private readonly HashSet<(int trial, int rung)> promoted = [];
    private readonly HashSet<(int trial, int rung)> running = [];
    private int started;

    public Asha(int trialCount, int minEpochs, int maxEpochs, int eta = 3, bool maximize = true)
    {
        if (eta < 2) throw new ArgumentOutOfRangeException(nameof(eta), "reduction factor must be at least 2");
        if (minEpochs < 1 || maxEpochs < minEpochs) throw new ArgumentException("need 1 <= min_epochs <= max epochs");
        this.eta = eta;
        this.minEpochs = minEpochs;
        this.maxEpochs = maxEpochs;
        this.trialCount = trialCount;
        this.maximize = maximize;
        for (var e = minEpochs; ; e *= eta)
        {
            rungs.Add([]);
            if (e >= maxEpochs) break;
        }
    }

    public int RungCount => rungs.Count;

    public int EpochsAt(int rung) => (int)Math.Min(maxEpochs, minEpochs * Math.Pow(eta, rung));

    /// <summary>The next job for a free worker, or null when nothing can start now (all trials started and no
    /// promotion possible until running jobs report).</summary>
    public Job? Next()
    {
        if (FindPromotion() is { } promotion)
        {
            promoted.Add((promotion.Trial, promotion.Rung - 1));
            running.Add((promotion.Trial, promotion.Rung));
            return promotion;
        }
        if (started < trialCount)
        {
            var t = started++;
            running.Add((t, 0));
            return new Job(t, 0, EpochsAt(0));
        }
        return null;
    }

    private Job? FindPromotion()
    {
        for (var k = rungs.Count - 2; k >= 0; k--)
        {
            var results = rungs[k];
            var keep = results.Count / eta;
            if (keep == 0) continue;
            var ordered = maximize ? results.OrderByDescending(r => r.Value) : results.OrderBy(r => r.Value);
            foreach (var (trial, _) in ordered.ThenBy(r => r.Key).Take(keep))
                if (!promoted.Contains((trial, k)) && !running.Contains((trial, k + 1)))
                    return new Job(trial, k + 1, EpochsAt(k + 1));
        }
        return null;
    }

    /// <summary>Records a finished job's metric (also used to replay finished jobs when a sweep resumes).</summary>
    public void Report(int trial, int rung, double metric)
    {
        running.Remove((trial, rung));
        rungs[rung][trial] = double.IsFinite(metric) ? metric : (maximize ? double.NegativeInfinity : double.PositiveInfinity);
        if (rung == 0) started = Math.Max(started, trial + 1);
        if (rung > 0) promoted.Add((trial, rung - 1));
    }

    /// <summary>Marks a job as running without handing it out: a resumed sweep re-attaches to a job that is still
    /// queued or running on a cluster, so <see cref="Next"/> neither starts it again nor promotes past it.</summary>
    public void Resume(int trial, int rung)
    {
        running.Add((trial, rung));
        if (rung == 0) started = Math.Max(started, trial + 1);
        else promoted.Add((trial, rung - 1));
    }

    public bool Finished => running.Count == 0 && started >= trialCount && FindPromotion() is null;

    /// <summary>The best trial at the highest rung reached, with its metric.</summary>
    public (int trial, int rung, double metric)? Best()
    {
        for (var k = rungs.Count - 1; k >= 0; k--)
        {
            if (rungs[k].Count == 0) continue;
            var best = maximize ? rungs[k].MaxBy(r => r.Value) : rungs[k].MinBy(r => r.Value);
            return (best.Key, k, best.Value);
        }
        return null;
    }
}
