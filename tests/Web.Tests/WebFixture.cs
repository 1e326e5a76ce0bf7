using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AverLab.Tests.Support;
using AverLab.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Web.Tests;

/// <summary>The shared trained runs (<see cref="SharedTrainedRuns"/>) in a folder of this process: an experiments folder
/// with two small trained runs (an audio CNN + Transformer on the synthetic RAVDESS layout, 2 epochs; a face ResNet18 on
/// the synthetic FER CSV, 1 epoch), a sweep folder and a cv folder in the formats SweepRunner and CrossValidation write
/// (known numbers), and the media the tests upload.</summary>
public sealed class WebFixture : IDisposable
{
    private readonly SharedTrainedRuns runs = new(Directory.CreateTempSubdirectory("averlab-web-").FullName);

    public string Root => runs.Root;
    public string Experiments => runs.Experiments;
    /// <summary>An empty model-package folder (--models), so no installed package serves the tests by default.</summary>
    public string NoModels => Directory.CreateDirectory(Path.Combine(Root, "no-models")).FullName;
    public string AudioRun => runs.AudioRun;
    public string FaceRun => runs.FaceRun;
    public string Corpus => runs.Corpus;
    /// <summary>A 1.5-s-class synthetic RAVDESS clip.</summary>
    public string Wav { get; }
    public const string Messi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"; // Debian opencv-doc (scripts/setup.sh)
    public string SweepDir => Path.Combine(Experiments, "web_sweep", "sweep-20260101-000000");
    public string CvDir => Path.Combine(Experiments, "web_cv", "cv-20260101-000000");

    public WebFixture()
    {
        Wav = Directory.GetFiles(Corpus, "03-01-05-*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        WriteSweepAndCv();
    }

    /// <summary>A finished ASHA sweep (3 trials; trial 1 promoted to rung 1) and a 2-fold cv, as SweepRunner and
    /// CrossValidation write them.</summary>
    private void WriteSweepAndCv()
    {
        Directory.CreateDirectory(SweepDir);
        File.WriteAllText(Path.Combine(SweepDir, "trials.json"), """[{"training.lr":"0.001"},{"training.lr":"0.01"},{"training.lr":"0.1"}]""");
        File.WriteAllText(Path.Combine(SweepDir, "jobs.jsonl"), """
            {"Trial":0,"Rung":0,"Epochs":1,"Metric":0.25}
            {"Trial":1,"Rung":0,"Epochs":1,"Metric":0.5}
            {"Trial":2,"Rung":0,"Epochs":1,"Metric":0.125}
            {"Trial":1,"Rung":1,"Epochs":3,"Metric":0.75}

            """);
        File.WriteAllText(Path.Combine(SweepDir, "results.csv"), "rank,trial,rung,epochs,val_acc,training.lr\n1,1,1,3,0.75,0.01\n2,0,0,1,0.25,0.001\n3,2,0,1,0.125,0.1\n");
        File.WriteAllText(Path.Combine(SweepDir, "best_config.yaml"), "training:\n  lr: 0.01\n");
        Directory.CreateDirectory(CvDir);
        File.WriteAllText(Path.Combine(CvDir, "cv.json"), $$$"""
            {"folds":[{"fold":0,"run":"{{{Path.Combine(CvDir, "fold-0")}}}","accuracy":0.5,"macro_f1":0.4,"balanced_accuracy":0.45},
                      {"fold":1,"run":"{{{Path.Combine(CvDir, "fold-1")}}}","accuracy":0.7,"macro_f1":0.6,"balanced_accuracy":0.65}],
             "accuracy":{"mean":0.6,"std":0.1414213562},"macro_f1":{"mean":0.5,"std":0.1414213562},"balanced_accuracy":{"mean":0.55,"std":0.1414213562}}
            """);
    }

    /// <summary>A video of <paramref name="seconds"/> s: the face photo at 640 px wide, 4 frames a second, with the
    /// synthetic clip (looped) as its sound track (ffmpeg, a system package); made once per length.</summary>
    public string Video(double seconds = 2)
    {
        var path = Path.Combine(Root, $"face-with-sound-{seconds.ToString(CultureInfo.InvariantCulture)}s.mp4");
        lock (videoGate)
        {
            if (!File.Exists(path))
                AverLab.Media.Ffmpeg.Run(AverLab.Media.Ffmpeg.FfmpegPath, ["-v", "error", "-y", "-loop", "1", "-framerate", "4", "-t", seconds.ToString(CultureInfo.InvariantCulture),
                    "-i", Messi, "-stream_loop", "-1", "-i", Wav, "-t", seconds.ToString(CultureInfo.InvariantCulture), "-vf", "scale=640:-2", "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path], path);
        }
        return path;
    }

    private readonly object videoGate = new();

    /// <summary>A second experiments folder (so the tests that count the main folder's runs keep their two): a random
    /// forest on MFCC statistics (a feature-vector model: Shapley values) and a CNN+Transformer with no conv branch (no
    /// convolutional stage: no Grad-CAM, and the result says why).</summary>
    public string ExplanationExperiments => runs.ExplanationExperiments;

    private int dataDirs;

    /// <summary>A fresh data folder (database and uploads) for one server.</summary>
    public string NewDataDir() => Path.Combine(Root, "data-" + Interlocked.Increment(ref dataDirs).ToString(CultureInfo.InvariantCulture));

    /// <summary>The app in the test host (Microsoft.AspNetCore.Mvc.Testing) with these settings.</summary>
    public WebApplicationFactory<Program> Factory(string dataDir, params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("experiments", Experiments);
            b.UseSetting("models", NoModels); // hermetic: packages a checkout ships must not answer for missing runs
            b.UseSetting("data", dataDir);
            foreach (var (k, v) in settings) b.UseSetting(k, v);
        });

    /// <summary>The app on a real loopback socket (Kestrel, a free port), for the browser and load tests.</summary>
    public async Task<(WebApplication App, string Url)> StartServer(string dataDir, params string[] args)
    {
        var app = WebApp.Build(["--urls", "http://127.0.0.1:0", "--experiments", Experiments, "--models", NoModels, "--data", dataDir, .. args]);
        await app.StartAsync();
        return (app, app.Urls.First());
    }

    /// <summary>Polls an analysis until it is done or failed (at most 3 minutes: a hang fails the test instead of the run).</summary>
    public static async Task<JsonElement> WaitFinished(HttpClient client, string id)
    {
        for (var i = 0; i < 1800; i++)
        {
            var doc = await client.GetFromJsonAsync<JsonElement>($"/api/analyses/{id}");
            var status = doc.GetProperty("status").GetString();
            if (status is "done" or "failed") return doc;
            await Task.Delay(100);
        }
        throw new TimeoutException($"analysis {id} did not finish");
    }

    public static MultipartFormDataContent Upload(byte[] content, string fileName, string? mode = null, params string[] runs)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", fileName } };
        if (mode != null) form.Add(new StringContent(mode), "mode");
        foreach (var r in runs) form.Add(new StringContent(r), "runs");
        return form;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("web")]
public sealed class WebCollection : ICollectionFixture<WebFixture>;
