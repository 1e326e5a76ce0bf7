using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AverLab.Inference.Tests;
using AverLab.Web;

namespace Web.Tests;

/// <summary>Explanations in the results (API and page): Grad-CAM of both conv branches of the CNN+Transformer over an
/// uploaded clip's MFCC, drawn by the app as PNGs; Shapley values of a feature-vector model (a random forest); and a
/// model without a convolutional stage, which gets none and a note saying why.</summary>
[Collection("web")]
public sealed class ExplanationTests(WebFixture fx)
{
    private static readonly JsonElement Schema =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "result.schema.json"))).RootElement;

    private static async Task<string> Accepted(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>A PNG's width and height from its IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public async Task AClipGetsGradCamOfBothConvBranchesAsImagesTheAppServes()
    {
        using var factory = fx.Factory(fx.NewDataDir());
        using var client = factory.CreateClient();
        var id = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "clip.wav")));
        var doc = await WebFixture.WaitFinished(client, id);
        Assert.Equal("done", doc.GetProperty("status").GetString());
        Assert.Empty(MiniJsonSchema.Validate(Schema, doc));
        var windows = doc.GetProperty("timeline").GetArrayLength();
        var explanations = doc.GetProperty("explanations").EnumerateArray().ToList();
        // Two conv branches per window, for the first min(windows, 4) windows, in window order.
        Assert.Equal(2 * Math.Min(windows, 4), explanations.Count);
        for (var i = 0; i < explanations.Count; i++)
        {
            var e = explanations[i];
            Assert.Equal("gradcam", e.GetProperty("kind").GetString());
            Assert.Equal(i % 2 == 0 ? "conv2Dblock1" : "conv2Dblock2", e.GetProperty("stage").GetString());
            var window = doc.GetProperty("timeline")[i / 2];
            Assert.Equal(window.GetProperty("emotion").GetString(), e.GetProperty("target").GetString());
            Assert.Equal(window.GetProperty("start").GetDouble(), e.GetProperty("start").GetDouble());
            Assert.StartsWith("web_audio/", e.GetProperty("model").GetString());
            Assert.Equal($"/analyses/{id}/explanations/{i}.png", e.GetProperty("image").GetString());
            // The 40 x 151 MFCC of a 1.5 s window, each cell drawn 4 wide and 6 high.
            Assert.Equal((151 * 4, 40 * 6), PngSize(await client.GetByteArrayAsync(e.GetProperty("image").GetString())));
        }
        Assert.False(doc.TryGetProperty("explanations_note", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/analyses/{id}/explanations/{explanations.Count}.png")).StatusCode);
        var page = await client.GetStringAsync($"/analyses/{id}");
        Assert.Contains($"<img class=\"explanation\" id=\"explanation-0\" src=\"/analyses/{id}/explanations/0.png\"", page);
        Assert.Contains("Grad-CAM of conv2Dblock2", page);
    }

    [Fact]
    public async Task AFeatureVectorModelGetsShapleyValuesDrawnAsBars()
    {
        using var factory = fx.Factory(fx.NewDataDir(), ("experiments", fx.ExplanationExperiments));
        using var client = factory.CreateClient();
        var runs = await client.GetFromJsonAsync<JsonElement>("/api/runs");
        var forest = runs.EnumerateArray().Single(r => r.GetProperty("model").GetString() == "random_forest").GetProperty("id").GetString()!;
        var id = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "clip.wav", null, forest)));
        var doc = await WebFixture.WaitFinished(client, id);
        Assert.Equal("done", doc.GetProperty("status").GetString());
        Assert.Empty(MiniJsonSchema.Validate(Schema, doc));
        var e = doc.GetProperty("explanations").EnumerateArray().ToList();
        Assert.Equal(Math.Min(doc.GetProperty("timeline").GetArrayLength(), 4), e.Count);
        foreach (var x in e)
        {
            Assert.Equal("shapley", x.GetProperty("kind").GetString());
            // MFCC statistics are not standardized in this run: the one background row is all zeros, and the method says so.
            Assert.Contains("against all-zero features (this run does not standardize its features)", x.GetProperty("method").GetString());
            var a = x.GetProperty("attributions").EnumerateArray().ToList();
            Assert.Equal(12, a.Count);                                       // the 12 largest of 40 (20 MFCC means and SDs)
            var values = a.Select(v => Math.Abs(v.GetProperty("value").GetDouble())).ToList();
            Assert.Equal(values.OrderByDescending(v => v), values);
            Assert.True(values[0] > 0, "every attribution is zero");
            Assert.All(a, v => Assert.Matches("^f([0-9]|[1-3][0-9])$", v.GetProperty("feature").GetString()));
        }
        var (w, h) = PngSize(await client.GetByteArrayAsync(e[0].GetProperty("image").GetString()));
        Assert.Equal((720, 420), (w, h));
        Assert.Contains("data-kind=\"shapley\"", await client.GetStringAsync($"/analyses/{id}"));
    }

    [Fact]
    public async Task AModelWithoutAConvolutionalStageShowsNoneAndSaysWhy()
    {
        using var factory = fx.Factory(fx.NewDataDir(), ("experiments", fx.ExplanationExperiments));
        using var client = factory.CreateClient();
        var runs = await client.GetFromJsonAsync<JsonElement>("/api/runs");
        var noConv = runs.EnumerateArray().Single(r => r.GetProperty("name").GetString()!.StartsWith("web_noconv/", StringComparison.Ordinal)).GetProperty("id").GetString()!;
        var id = await Accepted(await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(fx.Wav), "clip.wav", null, noConv)));
        var doc = await WebFixture.WaitFinished(client, id);
        Assert.Equal("done", doc.GetProperty("status").GetString());
        Assert.Empty(MiniJsonSchema.Validate(Schema, doc));
        Assert.Equal(0, doc.GetProperty("explanations").GetArrayLength());
        Assert.Contains("has no convolutional stage, so Grad-CAM does not apply", doc.GetProperty("explanations_note").GetString());
        var page = await client.GetStringAsync($"/analyses/{id}");
        Assert.Contains("<p id=\"explanations-note\" class=\"muted\">audio_cnn_transformer has no convolutional stage", page);
        Assert.DoesNotContain("<img class=\"explanation\"", page);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/analyses/{id}/explanations/0.png")).StatusCode);
    }
}
