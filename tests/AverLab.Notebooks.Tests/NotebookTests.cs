using System.Text.Json.Nodes;
using AverLab.Notebooks;
using AverLab.Tests.Support;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // one working directory and one Formatter per process

namespace AverLab.Notebooks.Tests;

/// <summary>Runs every notebook under notebooks/ once, in order, on the Polyglot kernel, sharing one work folder (02
/// trains the run 03 and 04 use). A notebook that fails keeps its <see cref="NotebookCellException"/>.</summary>
public sealed class NotebookRuns : IDisposable
{
    public static readonly string[] Names = ["01-explore-corpus.ipynb", "02-train.ipynb", "03-evaluate.ipynb", "04-predict.ipynb"];

    public string Work { get; } = Directory.CreateTempSubdirectory("averlab-nb-").FullName;
    private readonly Dictionary<string, Lazy<(NotebookRunner.Result? result, Exception? error)>> runs = [];

    public NotebookRuns()
    {
        Environment.SetEnvironmentVariable("AVERLAB_NOTEBOOK_DIR", Work);
        foreach (var name in Names)
            runs[name] = new Lazy<(NotebookRunner.Result?, Exception?)>(() =>
            {
                // Notebooks run in order: a later one may use what an earlier one made (02's run).
                foreach (var before in Names.TakeWhile(n => n != name)) _ = runs[before].Value;
                try { return (NotebookRunner.Run(Path.Combine(NotebookDir, name)), null); }
                catch (Exception e) { return (null, e); }
            });
    }

    public static string NotebookDir
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "AverLab.sln"))) dir = Path.GetDirectoryName(dir);
            return Path.Combine(dir!, "notebooks");
        }
    }

    /// <summary>The notebook's run; rethrows its failure (which names the notebook, cell and error).</summary>
    public NotebookRunner.Result Get(string name)
    {
        var (result, error) = runs[name].Value;
        if (error != null) throw new Xunit.Sdk.XunitException(error.Message + "\n" + error);
        return result!;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("AVERLAB_NOTEBOOK_DIR", null);
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The four notebooks execute cell by cell on the real kernel (Microsoft.DotNet.Interactive.CSharp), on the
/// synthetic corpus, and show what they should; a broken cell fails the run naming its notebook, cell and error.</summary>
public sealed class NotebookTests(NotebookRuns runs) : IClassFixture<NotebookRuns>
{
    [Fact]
    public void TheFourNotebooksAreThereForTheCSharpKernel()
    {
        var notebooks = Directory.GetFiles(NotebookRuns.NotebookDir, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(NotebookRuns.Names, notebooks);
        foreach (var name in NotebookRuns.Names)
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(NotebookRuns.NotebookDir, name)))!;
            Assert.Equal(".net-csharp", json["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
            var first = NotebookRunner.Read(Path.Combine(NotebookRuns.NotebookDir, name)).Elements.First(e => e.KernelName == "csharp");
            Assert.StartsWith("#r \"../src/AverLab.Notebooks/bin/Release/net10.0/averlab-notebooks.dll\"", first.Contents, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("01-explore-corpus.ipynb")]
    [InlineData("02-train.ipynb")]
    [InlineData("03-evaluate.ipynb")]
    [InlineData("04-predict.ipynb")]
    [Trait("Category", Category.Notebook)]
    public void NotebookRunsOnTheKernel(string name)
    {
        var r = runs.Get(name);
        Assert.True(r.Cells >= 3, $"{name}: {r.Cells} code cells");
        Assert.NotEmpty(r.Outputs);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void ExploreShowsCountTablesWaveformMfccTensorAndFaces()
    {
        var r = runs.Get("01-explore-corpus.ipynb");
        var html = string.Join("\n", r.Outputs.Select(o => o.Html));
        Assert.Contains("<span>emotion</span>", html); // the package's table, from ToTabularDataResource
        Assert.Contains("<span>speaker</span>", html);
        Assert.Contains("<b>tensor</b> [4 x 6] float32", html);
        // Waveform, MFCC, one face per emotion; noisy and cleaned waveform and mel spectrogram; frame with landmarks, aligned crop.
        Assert.Equal(3 + 4 + 2, r.Outputs.Count(IsPng));
        var text = string.Join("\n", r.Outputs.Select(o => o.Html + "\n" + o.Text));
        var snr = System.Text.RegularExpressions.Regex.Match(text, @"SNR against the clean clip: noisy (-?[0-9.]+) dB, after spectral_gate (-?[0-9.]+) dB");
        Assert.True(snr.Success, "the audio-cleaning cell's SNR line is missing");
        Assert.Equal(10.0, double.Parse(snr.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1);
        Assert.True(double.Parse(snr.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) >= 13, $"SNR after cleaning: {snr.Groups[2].Value} dB");
        Assert.Contains("68 landmarks in a ", text);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void TrainShowsTheReportFiguresAsPngsMetricsAndHistoryDataFrame()
    {
        var r = runs.Get("02-train.ipynb");
        Assert.Equal(6, r.Outputs.Count(IsPng)); // the report's figures, drawn by the same code
        var html = string.Join("\n", r.Outputs.Select(o => o.Html));
        Assert.Contains("class=\"metrics\"", html);
        Assert.Contains("<span>val_acc</span>", html); // history as a DataFrame table
        Assert.Contains(r.Outputs, o => o.Html?.Contains("best validation accuracy", StringComparison.Ordinal) == true
                                        || o.Text?.Contains("best validation accuracy", StringComparison.Ordinal) == true);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void EvaluateShowsMetricsPerClassProbabilitiesAndWorstErrors()
    {
        var r = runs.Get("03-evaluate.ipynb");
        var html = string.Join("\n", r.Outputs.Select(o => o.Html));
        Assert.Contains("class=\"metrics\"", html);
        Assert.Contains("<span>precision</span>", html);
        Assert.Contains("<span>confidence</span>", html);
        Assert.Contains("argmax agrees with the predictions: True", string.Join("\n", r.Outputs.Select(o => o.Html + o.Text)));
        // The explanations cell: the t-SNE map and one item's Grad-CAM (both conv branches), occlusion and IG figures.
        Assert.Contains("<figcaption>t-SNE of the penultimate-layer embeddings", html);
        Assert.Contains("<figcaption>Grad-CAM of conv2Dblock2", html);
        Assert.Contains("<figcaption>Integrated gradients (16 steps", html);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void PredictShowsTimelinePlotAndTable()
    {
        var r = runs.Get("04-predict.ipynb");
        Assert.Single(r.Outputs, IsPng);
        var html = string.Join("\n", r.Outputs.Select(o => o.Html));
        Assert.Contains("<span>emotion</span>", html);
        // The shipped packages: listed, then the speech one on the clip and the face one on a photo with one face.
        Assert.Contains("<td>fer2013-face</td>", html);
        Assert.Contains("<td>ravdess-speech</td>", html);
        Assert.Contains("<span>box</span>", html);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void ABrokenCellFailsTheRunNamingNotebookCellAndError()
    {
        var path = Path.Combine(runs.Work, "broken.ipynb");
        WriteNotebook(path, Markdown("# a title"), Code("var x = 1 + 1;"), Code("display(x);"),
            Code("throw new InvalidOperationException(\"boom\");"), Code("display(\"never\");"));
        var e = Assert.Throws<NotebookCellException>(() => NotebookRunner.Run(path));
        Assert.Equal(3, e.Cell); // index among all cells, the markdown one included
        Assert.Contains("broken.ipynb: cell 3", e.Message);
        Assert.Contains("boom", e.Message);

        WriteNotebook(path, Code("var x = ;"), Code("display(1);")); // a compile error names its cell too
        e = Assert.Throws<NotebookCellException>(() => NotebookRunner.Run(path));
        Assert.Equal(0, e.Cell);
        Assert.Contains("CS1525", e.Message);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void RunStoresOutputsAsPolyglotDoesAndClearRemovesThem()
    {
        var path = Path.Combine(runs.Work, "small.ipynb");
        var dll = typeof(NotebookFormatters).Assembly.Location;
        {
            WriteNotebook(path,
                Code($"#r \"{dll}\"\nusing AverLab.Notebooks;\nNotebookFormatters.Register();"),
                Code("display(TorchSharp.torch.ones(2, 2));"),
                Code("var p = new ScottPlot.Plot(); p.Add.Signal(new double[] { 1, 3, 2 }); display(p);"),
                Code("Console.WriteLine(\"printed\");"),
                Code("1 + 2"));
            NotebookRunner.WriteOutputs(path, NotebookRunner.Run(path));
            var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
            var tensor = cells[1]!["outputs"]![0]!;
            Assert.Equal("display_data", tensor["output_type"]!.GetValue<string>());
            Assert.Contains("<b>tensor</b> [2 x 2] float32", Flatten(tensor["data"]!["text/html"]!));
            var png = Convert.FromBase64String(Flatten(cells[2]!["outputs"]![0]!["data"]!["image/png"]!));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.Contains("printed", Flatten(cells[3]!["outputs"]![0]!["text"]!));
            Assert.Equal("execute_result", cells[4]!["outputs"]![0]!["output_type"]!.GetValue<string>());
            Assert.Equal(5, cells[4]!["execution_count"]!.GetValue<int>());

            NotebookRunner.WriteOutputs(path, null);
            foreach (var cell in JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray())
                Assert.Empty(cell!["outputs"]!.AsArray());
        }
    }

    private static bool IsPng(CellOutput o) => o.Png is { Length: > 100 } png && png.StartsWith("iVBORw0KGgo", StringComparison.Ordinal);

    private static string Flatten(JsonNode node) => node is JsonArray a ? string.Concat(a.Select(x => x!.GetValue<string>())) : node.GetValue<string>();

    private static void WriteNotebook(string path, params JsonObject[] cells) => File.WriteAllText(path, new JsonObject
    {
        ["cells"] = new JsonArray(cells),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp", ["items"] = new JsonArray(new JsonObject { ["name"] = "csharp", ["aliases"] = new JsonArray() }) } },
        },
        ["nbformat"] = 4, ["nbformat_minor"] = 5,
    }.ToJsonString());

    private static JsonObject Code(string code) => new()
    {
        ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = new JsonArray(code),
        ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
    };

    private static JsonObject Markdown(string text) => new() { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = new JsonArray(text) };
}
