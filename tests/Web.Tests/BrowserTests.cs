using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using AverLab.Tests.Support;

namespace Web.Tests;

/// <summary>End to end in a real browser: Playwright drives Debian's chromium headless (scripts/setup.sh installs it;
/// the package's own driver, nothing downloaded) against the app on a loopback socket.</summary>
[Collection("web")]
[Trait("Category", Category.Browser)]
public sealed class BrowserTests(WebFixture fx) : IAsyncLifetime
{
    private IPlaywright? playwright;
    private IBrowser? browser;
    private WebApplication? app;
    private string url = "";

    public async Task InitializeAsync()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.True(chromium != null, "chromium is not installed: run bash scripts/setup.sh");
        (app, url) = await fx.StartServer(fx.NewDataDir());
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (browser != null) await browser.DisposeAsync();
        playwright?.Dispose();
        if (app != null) await app.DisposeAsync();
    }

    private async Task<IPage> NewPage()
    {
        var page = await browser!.NewPageAsync(new BrowserNewPageOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        page.SetDefaultTimeout(120_000);
        return page;
    }

    /// <summary>tests/TestResults/web/ (next to the trx reports scripts/test.sh writes), from the test binary's folder.</summary>
    private static string ResultsDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AverLab.sln"))) dir = dir.Parent;
        var results = dir == null ? Path.Combine(AppContext.BaseDirectory, "TestResults", "web") : Path.Combine(dir.FullName, "tests", "TestResults", "web");
        Directory.CreateDirectory(results);
        return results;
    }

    /// <summary>Waits until the page has navigated to a URL matching <paramref name="glob"/> and its document is parsed.
    /// Not WaitForURLAsync's default (the load event as the client saw it): on CI it once waited out its 120 s on a
    /// page whose load had already happened ("NetworkIdle event fired" was the only event it logged), so this waits for
    /// the commit and then asks the document itself; what a test needs after that it waits for by selector.</summary>
    private static async Task WaitForDocument(IPage page, string glob)
    {
        await page.WaitForURLAsync(glob, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync("() => document.readyState !== 'loading'");
    }

    private static async Task AssertImageLoaded(IPage page, string selector)
    {
        await page.WaitForFunctionAsync($"() => {{ const i = document.querySelector('{selector}'); return i && i.complete && i.naturalWidth > 0; }}");
        var width = await page.EvalOnSelectorAsync<int>(selector, "i => i.naturalWidth");
        Assert.True(width >= 300, $"{selector}: naturalWidth {width}");
    }

    [Fact]
    public async Task UploadingAWavShowsTheDominantEmotionAndBothCharts()
    {
        var page = await NewPage();
        await page.GotoAsync("/");
        await page.SetInputFilesAsync("#file", fx.Wav);
        await page.ClickAsync("#analyse");
        await WaitForDocument(page, "**/analyses/*");
        var dominant = await page.WaitForSelectorAsync("#dominant");
        var id = page.Url.Split('/').Last();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var api = await http.GetFromJsonAsync<JsonElement>($"/api/analyses/{id}");
        Assert.Equal(api.GetProperty("emotion").GetString(), await dominant!.TextContentAsync());
        await AssertImageLoaded(page, "#chart-average");
        await AssertImageLoaded(page, "#chart-timeline");
        Assert.Equal(8, await page.Locator("#probabilities tbody tr").CountAsync());
        var shot = Path.Combine(ResultsDir(), "results-page-audio.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 20_000, "the screenshot is nearly empty");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(shot)[..4]);
    }

    [Fact]
    public async Task TheResultsOfAClipShowItsGradCamHeatmapsWithoutConsoleErrors()
    {
        var page = await NewPage();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };
        await page.GotoAsync("/");
        await page.SetInputFilesAsync("#file", fx.Wav);
        await page.ClickAsync("#analyse");
        await WaitForDocument(page, "**/analyses/*");
        await page.WaitForSelectorAsync("#dominant");
        var id = page.Url.Split('/').Last();
        await page.WaitForFunctionAsync("() => { const i = [...document.querySelectorAll('img.explanation')]; return i.length > 0 && i.every(x => x.complete && x.naturalWidth > 0); }");
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var api = await http.GetFromJsonAsync<JsonElement>($"/api/analyses/{id}");
        var images = api.GetProperty("explanations").EnumerateArray().Select(e => e.GetProperty("image").GetString()!).ToList();
        Assert.NotEmpty(images);
        // Every heatmap the API names is on the page and loaded, at the size the app drew it (4 x 6 pixels per MFCC cell).
        var shown = JsonSerializer.Deserialize<string[]>(await page.EvalOnSelectorAllAsync<string>("img.explanation", "l => JSON.stringify(l.map(i => i.getAttribute('src')))"))!;
        Assert.Equal(images, shown);
        var widths = JsonSerializer.Deserialize<int[]>(await page.EvalOnSelectorAllAsync<string>("img.explanation", "l => JSON.stringify(l.map(i => i.naturalWidth))"))!;
        Assert.All(widths, w => Assert.Equal(151 * 4, w));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ResultsDir(), "results-page-explanations.png"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }

    [Fact]
    public async Task UploadingAnImageWithAFaceShowsABox()
    {
        var page = await NewPage();
        await page.GotoAsync("/");
        await page.SetInputFilesAsync("#file", WebFixture.Messi);
        await page.ClickAsync("#analyse");
        await WaitForDocument(page, "**/analyses/*");
        var box = await page.WaitForSelectorAsync(".face-box");
        await AssertImageLoaded(page, "#media");
        var bounds = await box!.BoundingBoxAsync();
        Assert.NotNull(bounds);
        Assert.True(bounds.Width > 10 && bounds.Height > 10, $"box {bounds.Width} x {bounds.Height}");
        var image = await (await page.QuerySelectorAsync("#media"))!.BoundingBoxAsync();
        Assert.True(bounds.X >= image!.X - 1 && bounds.X + bounds.Width <= image.X + image.Width + 1, "the box lies outside the image");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('img.gradcam')].every(i => i.complete && i.naturalWidth > 0)");
        Assert.True(await page.Locator("img.gradcam").CountAsync() >= 1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ResultsDir(), "results-page-image.png"), FullPage = true });
    }

    [Fact]
    public async Task AVideosResultsShowTheFaceOfEachFrameAndBothTimelinesWithoutConsoleErrors()
    {
        var page = await NewPage();
        var errors = new List<string>();
        // A Content-Security-Policy violation is reported on the console as an error, so this also proves the policy holds.
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };
        await page.GotoAsync("/");
        await page.SetInputFilesAsync("#file", fx.Video(2));
        await page.ClickAsync("#analyse");
        await WaitForDocument(page, "**/analyses/*");
        await page.WaitForSelectorAsync("#dominant");
        var id = page.Url.Split('/').Last();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var api = await http.GetFromJsonAsync<JsonElement>($"/api/analyses/{id}");
        var frames = api.GetProperty("face_timeline").EnumerateArray().Count(e => e.TryGetProperty("frame", out _));
        Assert.True(frames >= 4, $"{frames} frames kept");

        // Every kept frame is shown with a box inside it, where the API says the face is.
        await page.WaitForFunctionAsync("() => { const i = [...document.querySelectorAll('.frame-strip img')]; return i.length > 0 && i.every(x => x.complete && x.naturalWidth > 0); }");
        var strip = page.Locator(".frame-strip figure");
        Assert.Equal(frames, await strip.CountAsync());
        var first = api.GetProperty("face_timeline")[0].GetProperty("box");
        for (var i = 0; i < frames; i++)
        {
            var image = await strip.Nth(i).Locator("img").BoundingBoxAsync();
            var box = await strip.Nth(i).Locator(".face-box").BoundingBoxAsync();
            Assert.True(image != null && box != null, $"frame {i}: not laid out");
            Assert.True(box.Width > 5 && box.Height > 5, $"frame {i}: box {box.Width} x {box.Height}");
            Assert.True(box.X >= image.X - 1 && box.X + box.Width <= image.X + image.Width + 1 && box.Y >= image.Y - 1 && box.Y + box.Height <= image.Y + image.Height + 1,
                $"frame {i}: the box lies outside its frame");
            if (i == 0)
            {
                // Drawn at the API's box, scaled from the 640-px frame to the shown width.
                var scale = image.Width / first.GetProperty("frame_width").GetDouble();
                Assert.InRange(box.X - image.X, first.GetProperty("x").GetDouble() * scale - 2, first.GetProperty("x").GetDouble() * scale + 2);
                Assert.InRange(box.Width, first.GetProperty("width").GetDouble() * scale - 2, first.GetProperty("width").GetDouble() * scale + 2);
            }
        }
        // The audio and face timelines side by side: same row, face to the right of audio.
        await AssertImageLoaded(page, "#chart-audio-timeline");
        await AssertImageLoaded(page, "#chart-face-timeline");
        var audio = await page.Locator("#audio-timeline").BoundingBoxAsync();
        var faces = await page.Locator("#face-timeline").BoundingBoxAsync();
        Assert.True(Math.Abs(audio!.Y - faces!.Y) < 2 && faces.X > audio.X + audio.Width - 1, $"audio at ({audio.X}, {audio.Y}), faces at ({faces.X}, {faces.Y})");
        Assert.Equal(api.GetProperty("audio_timeline").GetArrayLength(), await page.Locator("#audio-timeline-table tbody tr").CountAsync());
        Assert.Equal(api.GetProperty("face_timeline").GetArrayLength(), await page.Locator("#face-timeline-table tbody tr").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ResultsDir(), "results-page-video.png"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }

    [Fact]
    public async Task DroppingATextFileNamedWavShowsTheError()
    {
        var page = await NewPage();
        await page.GotoAsync("/");
        // A real drop event carrying a File made in the page: the drag-and-drop path, not the file input.
        await page.EvaluateAsync("""
            () => {
              const dt = new DataTransfer();
              dt.items.add(new File(['this is text, not audio'], 'speech.wav', { type: 'audio/wav' }));
              document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
            }
            """);
        var error = await page.WaitForSelectorAsync("#upload-error");
        var text = await error!.TextContentAsync();
        Assert.Contains("speech.wav: not an audio, image or video file", text);
        Assert.EndsWith("/", page.Url);
    }

    [Fact]
    public async Task TheExperimentsPageComparesTwoRuns()
    {
        var page = await NewPage();
        await page.GotoAsync("/experiments");
        var boxes = page.Locator("#runs input[type=checkbox]");
        Assert.Equal(2, await boxes.CountAsync());
        await boxes.Nth(0).CheckAsync();
        await boxes.Nth(1).CheckAsync();
        await page.ClickAsync("#compare");
        await WaitForDocument(page, "**/experiments/compare?*");
        Assert.Equal(2, await page.Locator("#compare-table tbody tr").CountAsync());
        foreach (var m in new[] { "val_acc", "train_loss", "val_loss" }) await AssertImageLoaded(page, $"#chart-{m}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ResultsDir(), "compare-page.png"), FullPage = true });
    }
}
