using System.Text.Json.Nodes;
using AverLab.Notebooks;

namespace AverLab.Notebooks.Tests;

/// <summary>Every notebook under notebooks/ executes, cell by cell, on the synthetic corpus; a broken cell fails
/// the harness (the test of the test).</summary>
public sealed class NotebookTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("averlab-nb-").FullName;

    public NotebookTests() => Environment.SetEnvironmentVariable("AVERLAB_NOTEBOOK_DIR", work);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("AVERLAB_NOTEBOOK_DIR", null);
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }

    private static string NotebookDir()
    {
        var dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "AverLab.sln"))) dir = Path.GetDirectoryName(dir);
        return Path.Combine(dir!, "notebooks");
    }

    [Fact]
    public void AllNotebooksExecuteInOrder()
    {
        var notebooks = Directory.GetFiles(NotebookDir(), "*.ipynb").Order().ToList();
        Assert.Equal(["01-explore-corpus.ipynb", "02-train.ipynb", "03-evaluate.ipynb", "04-predict.ipynb"], notebooks.Select(Path.GetFileName));
        foreach (var nb in notebooks)
        {
            var r = NotebookRunner.Run(nb);
            Assert.True(r.Outputs.Count > 0, $"{nb} displayed nothing");
            if (Path.GetFileName(nb) == "02-train.ipynb") // the report's figures, drawn by the same code, as images
                Assert.Equal(6, r.Outputs.Count(o => o.html.StartsWith("<img class=\"figure\"", StringComparison.Ordinal)
                                                     && o.html.Contains("src=\"data:image/png;base64,", StringComparison.Ordinal)));
            var meta = JsonNode.Parse(File.ReadAllText(nb))!["metadata"]!;
            Assert.Equal(".net-csharp", meta["kernelspec"]!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public void ExploreNotebookShowsCountsWaveformMfccAndFaces()
    {
        var r = NotebookRunner.Run(Path.Combine(NotebookDir(), "01-explore-corpus.ipynb"));
        var html = string.Join("\n", r.Outputs.Select(o => o.html));
        Assert.Contains("class=\"waveform\"", html);
        Assert.Contains("class=\"heatmap\"", html);
        Assert.Contains("class=\"image\"", html);
        Assert.Contains("<th>emotion</th>", html);
    }

    [Fact]
    public void ABrokenCellFailsTheHarnessNamingTheCell()
    {
        var nb = new JsonObject
        {
            ["cells"] = new JsonArray(
                Cell("var x = 1 + 1;"),
                Cell("display(x);"),
                Cell("throw new InvalidOperationException(\"boom\");"),
                Cell("display(\"never\");")),
            ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(work, "broken.ipynb");
        File.WriteAllText(path, nb.ToJsonString());
        var e = Assert.Throws<NotebookCellException>(() => NotebookRunner.Run(path));
        Assert.Equal(2, e.Cell);
        Assert.Contains("boom", e.Message);
        nb["cells"]![0] = Cell("var x = ;"); // a compile error is reported for its cell too
        File.WriteAllText(path, nb.ToJsonString());
        Assert.Equal(0, Assert.Throws<NotebookCellException>(() => NotebookRunner.Run(path)).Cell);
    }

    [Fact]
    public void RefreshStoresOutputsAndClearRemovesThem()
    {
        var path = Path.Combine(work, "small.ipynb");
        File.WriteAllText(path, new JsonObject
        {
            ["cells"] = new JsonArray(Cell("display(TorchSharp.torch.ones(2, 2));")),
            ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5,
        }.ToJsonString());
        NotebookRunner.WriteOutputs(path, NotebookRunner.Run(path));
        var stored = JsonNode.Parse(File.ReadAllText(path))!["cells"]![0]!["outputs"]![0]!["data"]!["text/html"]!.GetValue<string>();
        Assert.Contains("tensor</b> [2 x 2]", stored);
        NotebookRunner.WriteOutputs(path, null);
        Assert.Empty(JsonNode.Parse(File.ReadAllText(path))!["cells"]![0]!["outputs"]!.AsArray());
    }

    private static JsonObject Cell(string code) => new()
    {
        ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["execution_count"] = null,
        ["source"] = new JsonArray(code),
    };
}
