using System.Text.Json.Nodes;
using AverLab.Tests.Support;

namespace AverLab.Notebooks.Tests;

/// <summary>The CLIs as .NET tools: packed from the built solution into a local feed, installed from it into a
/// temporary tool path with <c>dotnet tool install</c>, and run there, away from the checkout's build folders.</summary>
[Collection(PackedFeed.Collection)]
public sealed class ToolPackageTests(PackedFeed packed) : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-tools-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void BothToolsInstallFromTheLocalFeedAndPredictAnalysesAPhoto()
    {
        var feed = packed.Ensure();
        var tools = Path.Combine(dir, "tools");
        var version = packed.Version;
        Assert.True(File.Exists(Path.Combine(feed, $"averlab-predict.{version}.nupkg")), "no averlab-predict package in the feed");
        Assert.True(File.Exists(Path.Combine(feed, $"averlab-predict.linux-x64.{version}.nupkg")), "no linux-x64 averlab-predict package in the feed");
        foreach (var tool in new[] { "averlab-predict", "averlab-train" })
            Packing.Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "--version", version, tool], dir, timeoutMinutes: 10);

        // Away from the checkout the tool finds no repository models/: AVERLAB_MODELS names the shipped packages.
        var env = new Dictionary<string, string?> { ["AVERLAB_MODELS"] = Path.Combine(Packing.RepoRoot, "models") };
        var photo = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";
        Assert.True(File.Exists(photo), $"{photo}: missing (Debian's opencv-doc; bash scripts/setup.sh installs it)");
        var output = Path.Combine(dir, "result.json");
        Packing.Run(Path.Combine(tools, "averlab-predict"), [photo, "--out", output], dir, env);
        var result = JsonNode.Parse(File.ReadAllText(output))!;
        var faces = result["faces"]!.AsArray();
        Assert.NotEmpty(faces);
        Assert.Contains(faces[0]!["emotion"]!.GetValue<string>(), new[] { "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral" });

        var models = Packing.Run(Path.Combine(tools, "averlab-train"), ["models"], dir);
        Assert.Contains("fer_vgg", models);
    }
}
