using AverLab.Training.Configuration;
using AverLab.Training.Search;

namespace AverLab.Training.Tests.Search;

public class SearchTests
{
    private static readonly Dictionary<string, SearchDimension> Space = new()
    {
        ["training.optimizer.lr"] = new SearchDimension { Loguniform = [1e-4, 1e-1] },
        ["model.params.hidden"] = new SearchDimension { Choice = ["32", "64"] },
        ["training.batch_size"] = new SearchDimension { Int = [8, 10] },
    };

    [Fact]
    public void RandomSearchIsSeededAndInRange()
    {
        var a = SearchSpace.Random(Space, 20, seed: 5);
        Assert.Equal(a.Select(p => string.Join(";", p)), SearchSpace.Random(Space, 20, seed: 5).Select(p => string.Join(";", p)));
        Assert.NotEqual(a.Select(p => string.Join(";", p)), SearchSpace.Random(Space, 20, seed: 6).Select(p => string.Join(";", p)));
        foreach (var p in a)
        {
            Assert.InRange(double.Parse(p["training.optimizer.lr"], System.Globalization.CultureInfo.InvariantCulture), 1e-4, 1e-1);
            Assert.Contains(p["model.params.hidden"], new[] { "32", "64" });
            Assert.InRange(int.Parse(p["training.batch_size"]), 8, 10);
        }
    }

    [Fact]
    public void GridIsTheCartesianProduct()
    {
        var g = SearchSpace.Grid(Space);
        Assert.Equal(3 * 2 * 3, g.Count);
        Assert.Equal(18, g.Select(p => string.Join(";", p)).Distinct().Count());
        Assert.Contains(g, p => p["training.optimizer.lr"] == "0.1" && p["training.batch_size"] == "10");
    }

    private static List<Asha.Job> RunSequentially(Asha asha, Func<int, double> score)
    {
        var jobs = new List<Asha.Job>();
        while (asha.Next() is { } job)
        {
            jobs.Add(job);
            asha.Report(job.Trial, job.Rung, score(job.Trial));
        }
        return jobs;
    }

    [Fact]
    public void AshaPromotesTheTopThirdOfEachRung()
    {
        // 9 trials, rungs at 1, 3, 9 epochs; early trials are best, so exactly 1/3 climbs each rung.
        var asha = new Asha(trialCount: 9, minEpochs: 1, maxEpochs: 9, eta: 3, maximize: true);
        Assert.Equal(3, asha.RungCount);
        var jobs = RunSequentially(asha, t => -t);
        Assert.True(asha.Finished);
        Assert.Equal(9, jobs.Count(j => j.Rung == 0));
        Assert.Equal(new[] { 0, 1, 2 }, jobs.Where(j => j.Rung == 1).Select(j => j.Trial).Order());
        Assert.Equal(new[] { 0 }, jobs.Where(j => j.Rung == 2).Select(j => j.Trial));
        Assert.All(jobs.Where(j => j.Rung == 2), j => Assert.Equal(9, j.Epochs));
        Assert.Equal((0, 2, 0.0), asha.Best());
    }

    [Fact]
    public void AshaResumedWithJobsStillOnTheClusterNeitherRestartsNorRepromotesThem()
    {
        // Before the controller died: trials 0 and 1 finished rung 0, trial 2 was running rung 0, trial 0 rung 1.
        var asha = new Asha(trialCount: 4, minEpochs: 1, maxEpochs: 2, eta: 2, maximize: true);
        asha.Report(0, 0, 0.9);
        asha.Report(1, 0, 0.5);
        asha.Resume(2, 0);
        asha.Resume(0, 1);
        Assert.Equal(new Asha.Job(3, 0, 1), asha.Next()); // not trial 2 again, not trial 0's promotion again
        Assert.Null(asha.Next());
        Assert.False(asha.Finished);
        asha.Report(2, 0, 0.7);
        asha.Report(3, 0, 0.1);
        asha.Report(0, 1, 0.95);
        Assert.Equal(new Asha.Job(2, 1, 2), asha.Next()); // 4 results, keep 2: 0 (done) and 2
        Assert.Null(asha.Next());
    }

    [Fact]
    public void AshaPromotesLateArrivalsThatEnterTheTopThird()
    {
        // Asynchronous promotion: a trial that becomes top-1/eta later is promoted then (Li et al. 2020, Alg. 2).
        var asha = new Asha(trialCount: 9, minEpochs: 1, maxEpochs: 9, eta: 3, maximize: true);
        var jobs = RunSequentially(asha, t => t);
        Assert.True(asha.Finished);
        Assert.Contains(jobs, j => j.Trial == 8 && j.Rung == 2);
        Assert.Equal(8, asha.Best()!.Value.trial);
    }

    [Fact]
    public void AshaReplaysFinishedJobsOnResume()
    {
        var first = new Asha(6, 1, 4, 2);
        var done = new List<(int, int, double)>();
        for (var i = 0; i < 4 && first.Next() is { } job; i++)
        {
            first.Report(job.Trial, job.Rung, job.Trial);
            done.Add((job.Trial, job.Rung, job.Trial));
        }
        var resumed = new Asha(6, 1, 4, 2);
        foreach (var (t, r, m) in done) resumed.Report(t, r, m);
        var next1 = first.Next();
        var next2 = resumed.Next();
        Assert.Equal(next1, next2);
        Assert.DoesNotContain(done, d => d.Item1 == next2!.Trial && d.Item2 == next2.Rung);
    }
}
