using AverLab.Inference;
using AverLab.Training.Experiments;
using AverLab.Web;

namespace Web.Tests;

/// <summary>Installed model packages as the web app's fallback: chosen when no run in the experiments folder fits the
/// upload, never ahead of one that does, and found by id like a run.</summary>
[Collection("web")]
public sealed class PackageSelectionTests(WebFixture fx)
{
    [Fact]
    public void PackagesServeWhenNoRunFitsAndNeverAheadOfARun()
    {
        var root = Directory.CreateTempSubdirectory("averlab-web-pkg-").FullName;
        try
        {
            var models = Path.Combine(root, "models");
            // ResNet18 weights are above the shipping limit; the limit is not what this test is about.
            ModelPackager.Package(fx.FaceRun, Path.Combine(models, "face"), new PackageOptions { MaxBytes = long.MaxValue });
            var locations = new List<(string, string)> { (models, "repo") };
            var empty = Directory.CreateDirectory(Path.Combine(root, "experiments")).FullName;

            var onlyPackages = new RunCatalog(empty, locations).Scan();
            Assert.Empty(onlyPackages.Runs);
            var package = Assert.Single(onlyPackages.Packages);
            Assert.Equal("package face", package.Name);
            Assert.True(package.Roles!.Faces);
            Assert.NotNull(package.Accuracy);
            Assert.Same(package, onlyPackages.Run(package.Id));
            var (runs, status, error) = RunSelection.Choose(onlyPackages, MediaKind.Image, AnalysisMode.Auto, []);
            Assert.Null(error);
            Assert.Equal(0, status);
            Assert.Equal(package.Id, Assert.Single(runs).Id);
            // Nothing installed analyses audio: 422 says both places were looked at.
            var (_, audioStatus, audioError) = RunSelection.Choose(onlyPackages, MediaKind.Audio, AnalysisMode.Auto, []);
            Assert.Equal(422, audioStatus);
            Assert.Contains("no installed model package", audioError);

            var withRuns = new RunCatalog(fx.Experiments, locations).Scan();
            var (chosen, _, _) = RunSelection.Choose(withRuns, MediaKind.Image, AnalysisMode.Auto, []);
            Assert.Equal(fx.FaceRun, Assert.Single(chosen).Path); // a fitting run comes first
            // A package can still be asked for by id.
            var (asked, askedStatus, _) = RunSelection.Choose(withRuns, MediaKind.Image, AnalysisMode.Auto, [withRuns.Packages[0].Id]);
            Assert.Equal(0, askedStatus);
            Assert.Equal(Path.Combine(models, "face"), Assert.Single(asked).Path);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task AnImageUploadWithoutRunsIsAnalysedByTheInstalledPackage()
    {
        var root = Directory.CreateTempSubdirectory("averlab-web-pkg2-").FullName;
        try
        {
            var models = Path.Combine(root, "models");
            ModelPackager.Package(fx.FaceRun, Path.Combine(models, "face"), new PackageOptions { MaxBytes = long.MaxValue });
            var empty = Directory.CreateDirectory(Path.Combine(root, "experiments")).FullName;
            using var factory = fx.Factory(fx.NewDataDir(), ("experiments", empty), ("models", models));
            using var client = factory.CreateClient();
            var r = await client.PostAsync("/api/analyses", WebFixture.Upload(File.ReadAllBytes(WebFixture.Messi), "messi.jpg"));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, r.StatusCode);
            var id = System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            var done = await WebFixture.WaitFinished(client, id);
            Assert.Equal("done", done.GetProperty("status").GetString());
            Assert.Equal("package face", done.GetProperty("models")[0].GetString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
