using System.Diagnostics;
using AverLab.Training.Metrics;
using AverLab.Training.Reports;

namespace AverLab.Training.Tests.Reports;

/// <summary>report.html opens in headless Chromium (Debian's chromium, installed by scripts/setup.sh) with no
/// console errors, and the rendered page holds the confusion matrix and the curves.</summary>
public sealed class ReportRenderingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-report-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Html()
    {
        var history = Enumerable.Range(1, 12).Select(e => new EpochRecord
        {
            Epoch = e, TrainLoss = 2.0 / e, TrainAcc = 1 - 0.5 / e, ValLoss = 2.2 / e, ValAcc = 1 - 0.6 / e, Lr = 0.01 * Math.Pow(0.9, e), Seconds = 1.5,
        }).ToList();
        int[] y = [0, 0, 1, 1, 2, 2, 2, 1], p = [0, 1, 1, 1, 2, 0, 2, 1];
        var proba = new double[8, 3];
        for (var i = 0; i < 8; i++) proba[i, p[i]] = 0.8;
        for (var i = 0; i < 8; i++) for (var c = 0; c < 3; c++) if (c != p[i]) proba[i, c] = 0.1;
        var m = ClassificationMetrics.Compute(y, p, ["angry", "happy", "sad <b>"], proba, 100, 1);
        return ReportWriter.Render("test run <script>alert(1)</script>", new Dictionary<string, string> { ["seed"] = "1" }, history, m);
    }

    [Fact]
    public async Task RendersInHeadlessChromiumWithoutConsoleErrors()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.True(chromium != null, "chromium is not installed: run bash scripts/setup.sh");
        var path = Path.Combine(dir, "report.html");
        File.WriteAllText(path, Html());
        var psi = new ProcessStartInfo(chromium!)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
                     $"--user-data-dir={Path.Combine(dir, "profile")}", "--dump-dom", "file://" + path })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var dom = await process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "chromium did not finish in 60 s");
        var stderr = await stderrTask;
        Assert.DoesNotContain(stderr.Split('\n'), l => l.Contains("CONSOLE", StringComparison.Ordinal));
        Assert.Contains("id=\"confusion-matrix\"", dom);
        Assert.Contains("class=\"confusion\"", dom);
        Assert.Contains("id=\"loss-curve\"", dom);
        Assert.Contains("id=\"accuracy-curve\"", dom);
        Assert.Contains("id=\"lr-curve\"", dom);
        Assert.Contains("<polyline class=\"series\"", dom);
        Assert.Contains("id=\"per-class-f1\"", dom);
        Assert.DoesNotContain("<script>", dom); // names are escaped, never markup
    }
}
