using System.Diagnostics;
using AverLab.Training.Reports;
using AverLab.Tests.Support;

namespace AverLab.Training.Tests.Reports;

/// <summary>report.html opens in headless Chromium (Debian's chromium, installed by scripts/setup.sh) with no
/// console errors, and the rendered page holds every figure, embedded.</summary>
public sealed class ReportRenderingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-report-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A run folder's report: the figures saved under plots/ and report.html beside them.</summary>
    private string WriteReport()
    {
        var history = RunFiguresTests.History();
        var m = RunFiguresTests.Metrics();
        var figures = RunFigures.Render(history, m);
        RunFigures.Save(figures, Path.Combine(dir, RunFigures.Folder));
        var path = Path.Combine(dir, "report.html");
        File.WriteAllText(path, ReportWriter.Render("test run <script>alert(1)</script>", new Dictionary<string, string> { ["seed"] = "1" },
            history, m, figures: figures));
        return path;
    }

    [Fact]
    [Trait("Category", Category.Browser)]
    public async Task RendersInHeadlessChromiumWithoutConsoleErrors()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.True(chromium != null, "chromium is not installed: run bash scripts/setup.sh");
        var path = WriteReport();
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
        string[] ids = ["loss-curve", "accuracy-curve", "lr-curve", "confusion-matrix", "confusion-matrix-normalized", "per-class-f1", "roc-curves", "reliability-diagram"];
        foreach (var id in ids) Assert.Contains($"<figure id=\"{id}\"><img src=\"data:image/png;base64,", dom);
        Assert.Equal(ids.Length, dom.Split("<img src=\"data:image/png;base64,").Length - 1); // every figure embedded: opens offline
        Assert.Contains("href=\"plots/roc.svg\"", dom);
        Assert.DoesNotContain("<svg", dom); // the hand-drawn charts are gone
        Assert.DoesNotContain("<script>", dom); // names are escaped, never markup
    }
}
