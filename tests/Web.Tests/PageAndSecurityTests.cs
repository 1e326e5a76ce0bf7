using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AverLab.Web;
using Microsoft.Extensions.Configuration;

namespace Web.Tests;

/// <summary>The pages (forms with antiforgery tokens, the experiments browser with known numbers) and the API key rule.</summary>
[Collection("web")]
public sealed partial class PageAndSecurityTests(WebFixture fx)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [Fact]
    public async Task TheUploadFormNeedsItsAntiforgeryToken()
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        var home = await client.GetStringAsync("/");
        Assert.Contains("id=\"drop\"", home);
        Assert.Contains("web_audio/", home); // the runs to choose from
        var wav = File.ReadAllBytes(fx.Wav);
        var without = await client.PostAsync("/analyses", WebFixture.Upload(wav, "a.wav"));
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Contains("antiforgery", await without.Content.ReadAsStringAsync());
        var form = WebFixture.Upload(wav, "a.wav");
        form.Add(new StringContent(Token().Match(home).Groups[1].Value), "__RequestVerificationToken");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/analyses") { Content = form };
        request.Headers.Add("X-Requested-With", "fetch");
        var with = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, with.StatusCode);
    }

    [Fact]
    public async Task ExperimentsPagesShowRunsSweepsAndCvWithTheirNumbers()
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        var catalog = new RunCatalog(fx.Experiments).Scan();
        Assert.Equal(2, catalog.Runs.Count);
        Assert.Single(catalog.Sweeps);
        Assert.Single(catalog.Cvs);
        var page = await client.GetStringAsync("/experiments");
        var audio = catalog.Runs.Single(r => r.Model == "audio_cnn_transformer");
        Assert.Contains($"/experiments/runs/{audio.Id}/report", page);
        Assert.Contains(Html.WithCi(audio.Accuracy, audio.AccuracyCi), page);
        Assert.NotNull(audio.AccuracyCi);
        Assert.Contains("0.600 ± 0.141", page); // cv.json: accuracy mean 0.6, sd 0.1414
        var report = await client.GetAsync($"/experiments/runs/{audio.Id}/report");
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        Assert.Equal(File.ReadAllText(Path.Combine(audio.Path, "report.html")), await report.Content.ReadAsStringAsync());

        var compare = await client.GetStringAsync($"/experiments/compare?runs={catalog.Runs[0].Id}&runs={catalog.Runs[1].Id}");
        Assert.Equal(2, Regex.Matches(compare, "<tr><td><a href=\"/experiments/runs/").Count);
        var png = await client.GetByteArrayAsync($"/experiments/compare/val_acc.png?runs={catalog.Runs[0].Id}&runs={catalog.Runs[1].Id}");
        Assert.Equal(0x89, png[0]);

        var sweep = await client.GetStringAsync($"/experiments/sweeps/{catalog.Sweeps[0].Id}");
        Assert.Contains("3 trials, 4 jobs run", sweep);
        Assert.Contains("<td>0.75</td>", sweep);
        Assert.Equal(0x89, (await client.GetByteArrayAsync($"/experiments/sweeps/{catalog.Sweeps[0].Id}/rungs.png"))[0]);
        Assert.Equal([1, 3], RunCatalog.ReadJobs(catalog.Sweeps[0].Path).Where(j => j.Trial == 1).Select(j => j.Epochs));
        var cv = await client.GetStringAsync($"/experiments/cv/{catalog.Cvs[0].Id}");
        Assert.Contains("<td>0.700</td>", cv);
        Assert.Contains("2 folds", cv);
    }

    [Theory]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://192.168.1.4:5080", false)]
    [InlineData("https://example.org", false)]
    public void LoopbackIsRecognised(string url, bool loopback) => Assert.Equal(loopback, WebOptions.IsLoopback(url));

    [Fact]
    public void BeyondLoopbackWithoutAKeyDoesNotStart()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:5080" }).Build();
        var e = Assert.Throws<ArgumentException>(() => WebOptions.From(config));
        Assert.Contains("--api-key", e.Message);
        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["workers"] = "0" }).Build();
        Assert.Contains("--workers", Assert.Throws<ArgumentException>(() => WebOptions.From(bad)).Message);
    }

    [Fact]
    public void KeysAreComparedWhole()
    {
        Assert.True(ApiKeyCheck.Matches("correct horse battery staple", "correct horse battery staple"));
        Assert.False(ApiKeyCheck.Matches("correct horse battery stapl", "correct horse battery staple"));
        Assert.False(ApiKeyCheck.Matches("correct horse battery staplee", "correct horse battery staple"));
        Assert.False(ApiKeyCheck.Matches("", "correct horse battery staple"));
        Assert.False(ApiKeyCheck.Matches(null, "correct horse battery staple"));
    }

    [Fact]
    public async Task BeyondLoopbackEveryRouteNeedsTheKey()
    {
        const string key = "0123456789abcdef-test-key";
        using var factory = fx.Factory(fx.NewDataDir(), ("urls", "http://0.0.0.0:5080"), ("api-key", key));
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "a.wav"))).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        wrong.Headers.Add("X-Api-Key", key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        right.Headers.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(right)).StatusCode);
        // A browser is sent to the sign-in page, which is open.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/experiments");
        page.Headers.Add("Accept", "text/html");
        var redirect = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/login", redirect.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
    }

    [Fact]
    public async Task OnLoopbackWithoutAKeyNothingIsAsked()
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/runs")).StatusCode);
        var page = await client.GetAsync("/experiments");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.StartsWith("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex Inline();

    [Fact]
    public async Task EveryPageCarriesTheSecurityHeadersAndNoInlineScriptOrStyle()
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        var wav = await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "a.wav"));
        var wavId = (await wav.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var video = await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Video(2)), "v.mp4"));
        var videoId = (await video.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var pending = await client.GetAsync($"/analyses/{videoId}"); // queued or running: the waiting page
        await WebFixture.WaitFinished(client, wavId);
        await WebFixture.WaitFinished(client, videoId);
        var catalog = new RunCatalog(fx.Experiments).Scan();
        var pages = new[]
        {
            "/", "/analyses", $"/analyses/{wavId}", $"/analyses/{videoId}", "/experiments", "/login", $"/experiments/sweeps/{catalog.Sweeps[0].Id}",
            $"/experiments/cv/{catalog.Cvs[0].Id}", $"/experiments/compare?runs={catalog.Runs[0].Id}&runs={catalog.Runs[1].Id}", "/analyses/0123456789abcdef0123456789abcdef",
        };
        var responses = new List<(string Url, HttpResponseMessage Response)> { ($"/analyses/{videoId} (pending)", pending) };
        foreach (var url in pages) responses.Add((url, await client.GetAsync(url)));
        foreach (var url in new[] { "/api/runs", $"/api/analyses/{wavId}", "/static/app.js", "/static/app.css", $"/analyses/{videoId}/frames/0.jpg", $"/analyses/{wavId}/charts/average.png" })
            responses.Add((url, await client.GetAsync(url)));
        foreach (var (url, r) in responses)
        {
            var csp = r.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Equal(WebApp.ContentSecurityPolicy, csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("style-src 'self'", csp);
            Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", r.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
            if (r.Content.Headers.ContentType?.MediaType == "text/html")
            {
                var html = await r.Content.ReadAsStringAsync();
                Assert.True(Inline().Matches(html).Count == 0, $"{url}: inline script or style: {string.Join(", ", Inline().Matches(html).Select(m => m.Value))}");
                Assert.Contains("<script src=\"/static/app.js\"></script>", html);
            }
        }
        Assert.Contains(responses, x => x.Url == "/analyses/0123456789abcdef0123456789abcdef" && x.Response.StatusCode == HttpStatusCode.NotFound);
        // A run's own report (inline style, made to open offline) is served sandboxed, without script.
        var report = await client.GetAsync($"/experiments/runs/{catalog.Runs[0].Id}/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var policy = report.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(ExperimentPages.ReportPolicy, policy);
        Assert.Contains("sandbox", policy);
        Assert.DoesNotContain("script-src", policy);
        Assert.StartsWith("default-src 'none'", policy);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, MediaKind.Audio, ".wav")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'A', (byte)'V', (byte)'I', (byte)' ' }, MediaKind.Video, ".avi")]
    [InlineData(new byte[] { (byte)'f', (byte)'L', (byte)'a', (byte)'C' }, MediaKind.Audio, ".flac")]
    [InlineData(new byte[] { (byte)'I', (byte)'D', (byte)'3', 4 }, MediaKind.Audio, ".mp3")]
    [InlineData(new byte[] { 0xFF, 0xFB, 0x90, 0x64 }, MediaKind.Audio, ".mp3")]
    [InlineData(new byte[] { 0xFF, 0xF1, 0x50, 0x80 }, MediaKind.Audio, ".aac")]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }, MediaKind.Image, ".png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, MediaKind.Image, ".jpg")]
    [InlineData(new byte[] { 0, 0, 0, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m' }, MediaKind.Video, ".mp4")]
    [InlineData(new byte[] { 0, 0, 0, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'M', (byte)'4', (byte)'A', (byte)' ' }, MediaKind.Audio, ".m4a")]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, MediaKind.Video, ".mkv")]
    public void MediaTypeComesFromTheContent(byte[] header, MediaKind kind, string extension)
    {
        var t = MediaSniffer.Sniff(header);
        Assert.NotNull(t);
        Assert.Equal(kind, t.Kind);
        Assert.Equal(extension, t.Extension);
    }

    [Theory]
    [InlineData("hello, not audio")]
    [InlineData("RIFF1234WAVX")]
    [InlineData("{\"json\": true}")]
    [InlineData("")]
    public void OtherContentIsNotMedia(string text) => Assert.Null(MediaSniffer.Sniff(System.Text.Encoding.UTF8.GetBytes(text)));
}
