using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AverLab.NotebookRunner;
using AverLab.Tests.Support;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // one working directory and one Formatter per process

namespace AverLab.Notebooks.Tests;

/// <summary>The notebooks as committed: what each shows, read from a notebook file's cells and stored outputs.</summary>
internal static class NotebookFile
{
    public static readonly string[] Names =
    [
        "01-explore-corpus.ipynb", "02-train.ipynb", "03-train-faces.ipynb", "04-evaluate.ipynb", "05-protocols.ipynb",
        "06-explain.ipynb", "07-predict.ipynb",
    ];

    public static string Folder => Path.Combine(Packing.RepoRoot, "notebooks");

    /// <summary>Each code cell's source and outputs, in order.</summary>
    public static List<(string Source, JsonArray Outputs)> CodeCells(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray()
            .Where(c => c!["cell_type"]!.GetValue<string>() == "code")
            .Select(c => (Flatten(c!["source"]!), c!["outputs"]?.AsArray() ?? [])).ToList();

    /// <summary>What a cell promises with its <c>// shows: figure, table</c> line.</summary>
    public static string[] Shows(string source) =>
        Regex.Match(source, @"^// shows: (.+)$", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries) : [];

    public static bool HasImage(JsonArray outputs) => outputs.Any(o =>
        o?["data"]?["image/png"] is { } png && Flatten(png).StartsWith("iVBORw0KGgo", StringComparison.Ordinal)
        || o?["data"]?["text/html"] is { } html && Flatten(html).Contains("<img src=\"data:image/png;base64,iVBORw0KGgo", StringComparison.Ordinal));

    public static bool HasTable(JsonArray outputs) => outputs.Any(o => o?["data"]?["text/html"] is { } html && Flatten(html).Contains("<table", StringComparison.Ordinal));

    /// <summary>Every problem of one notebook's stored outputs: a cell that promises a figure with no image, a table with
    /// no HTML table, or no output at all; empty when all is there.</summary>
    public static List<string> MissingOutputs(string path)
    {
        var problems = new List<string>();
        var cells = CodeCells(path);
        if (cells.All(c => c.Outputs.Count == 0)) problems.Add($"{Path.GetFileName(path)}: no stored outputs (bash scripts/notebooks.sh run --data <root>)");
        for (var i = 0; i < cells.Count; i++)
        {
            var shows = Shows(cells[i].Source);
            if (shows.Contains("figure") && !HasImage(cells[i].Outputs)) problems.Add($"{Path.GetFileName(path)}: code cell {i} shows a figure but stored no PNG");
            if (shows.Contains("table") && !HasTable(cells[i].Outputs)) problems.Add($"{Path.GetFileName(path)}: code cell {i} shows a table but stored no HTML table");
        }
        return problems;
    }

    public static string Text(JsonArray outputs) => string.Join("\n", outputs.Select(o =>
        (o?["data"]?["text/html"] is { } h ? Flatten(h) : "") + (o?["data"]?["text/plain"] is { } t ? Flatten(t) : "") + (o?["text"] is { } s ? Flatten(s) : "")));

    public static string Flatten(JsonNode node) => node is JsonArray a ? string.Concat(a.Select(x => x!.GetValue<string>())) : node.GetValue<string>();
}

/// <summary>The committed notebooks load AverLab only through the packed feed and carry the outputs of a real-data run.</summary>
public sealed class CommittedNotebookTests
{
    [Fact]
    public void TheSevenNotebooksLoadAverLabFromTheFeedOnly()
    {
        var notebooks = Directory.GetFiles(NotebookFile.Folder, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(NotebookFile.Names, notebooks);
        foreach (var name in NotebookFile.Names)
        {
            var path = Path.Combine(NotebookFile.Folder, name);
            Assert.Equal(".net-csharp", JsonNode.Parse(File.ReadAllText(path))!["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
            var cells = NotebookFile.CodeCells(path);
            var first = cells[0].Source.Split('\n').Select(l => l.Trim()).ToArray();
            Assert.Matches("^#i \"nuget: /[^\"]+\"$", first[0]);
            Assert.Equal($"#r \"nuget: AverLab.Notebooks, {Packing.Version}\"", first[1]);
            Assert.DoesNotContain(cells, c => c.Source.Contains("/bin/", StringComparison.Ordinal) || c.Source.Contains(".dll\"", StringComparison.Ordinal));
            Assert.True(cells.Count(c => NotebookFile.Shows(c.Source).Length > 0) >= 2, $"{name}: fewer than 2 cells say what they show");
        }
    }

    [Fact]
    public void EveryFigureAndTableCellHasItsStoredOutput()
    {
        var problems = NotebookFile.Names.SelectMany(n => NotebookFile.MissingOutputs(Path.Combine(NotebookFile.Folder, n))).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void StoredOutputsComeFromRealDataAndStaySmall()
    {
        foreach (var name in NotebookFile.Names)
        {
            var text = NotebookFile.Text(NotebookFile.CodeCells(Path.Combine(NotebookFile.Folder, name))[1].Outputs);
            Assert.Contains("real data under", text); // NotebookEnv.Describe() of a run with AVERLAB_DATA
        }
        var bytes = Directory.GetFiles(NotebookFile.Folder, "*", SearchOption.TopDirectoryOnly).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes < 10_000_000, $"notebooks/ holds {bytes / 1e6:0.0} MB");
        // Audio players: at most a few seconds each (8 kHz, 16-bit: 16,000 bytes a second, base64 4/3 of that).
        foreach (Match m in Regex.Matches(string.Concat(NotebookFile.Names.Select(n => File.ReadAllText(Path.Combine(NotebookFile.Folder, n)))), "data:audio/wav;base64,([A-Za-z0-9+/=]+)"))
            Assert.True(Convert.FromBase64String(m.Groups[1].Value).Length <= 44 + 16_000 * 3, "an embedded clip longer than 3 s");
    }

    [Fact]
    public void MissingOutputsAreNamed()
    {
        var dir = Directory.CreateTempSubdirectory("averlab-nbfile-").FullName;
        try
        {
            var path = Path.Combine(dir, "x.ipynb");
            var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(NotebookFile.Folder, "01-explore-corpus.ipynb")))!;
            foreach (var cell in committed["cells"]!.AsArray()) if (cell!["outputs"] is JsonArray o) o.Clear();
            File.WriteAllText(path, committed.ToJsonString());
            var problems = NotebookFile.MissingOutputs(path);
            Assert.Contains("x.ipynb: no stored outputs (bash scripts/notebooks.sh run --data <root>)", problems);
            Assert.Contains(problems, p => Regex.IsMatch(p, @"^x\.ipynb: code cell \d+ shows a figure but stored no PNG$"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

/// <summary>Every notebook run top to bottom on the synthetic corpus by the runner in its own process, which loads
/// AverLab from the collection's feed (<see cref="PackedFeed"/>). The shared quick audio run (tests/Support) stands in
/// for the quick CNN+Transformer run notebook 06 would otherwise train.</summary>
public sealed class NotebookRuns(PackedFeed packed)
{
    private readonly Lazy<(Dictionary<string, List<(string Source, JsonArray Outputs)>>? cells, Exception? error)> run = new(() =>
    {
        try { return (RunAll(packed), null); }
        catch (Exception e) { return (null, e); }
    });

    private static Dictionary<string, List<(string, JsonArray)>> RunAll(PackedFeed packed)
    {
        var feed = packed.Ensure();
        var work = Path.Combine(packed.Dir, "notebook-runs");
        var shared = new SharedTrainedRuns(Path.Combine(work, "shared"));
        var quick = Path.Combine(work, "notebooks", "experiments", "notebook_quick", Path.GetFileName(shared.AudioRun));
        CopyTree(shared.AudioRun, quick);
        var runner = Path.Combine(Packing.RepoRoot, "src", "NotebookRunner", "bin", Packing.Configuration, "net10.0", "averlab-notebooks.dll");
        var outDir = Path.Combine(work, "out");
        Packing.Run("dotnet", ["exec", runner, "run", "--feed", feed, "--package-version", packed.Version, "--save-to", outDir,
                .. NotebookFile.Names.Select(n => Path.Combine(NotebookFile.Folder, n))], NotebookFile.Folder,
            new Dictionary<string, string?> { ["AVERLAB_NOTEBOOK_DIR"] = Path.Combine(work, "notebooks"), ["AVERLAB_DATA"] = null }, timeoutMinutes: 40);
        return NotebookFile.Names.ToDictionary(n => n, n => NotebookFile.CodeCells(Path.Combine(outDir, n)));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>The executed notebook's code cells; rethrows the run's failure (which names notebook, cell and error).</summary>
    public List<(string Source, JsonArray Outputs)> Get(string name)
    {
        var (cells, error) = run.Value;
        if (error != null) throw new Xunit.Sdk.XunitException(error.Message);
        return cells![name];
    }
}

/// <summary>The notebooks execute cell by cell on the real kernel (Microsoft.DotNet.Interactive.CSharp with #r "nuget:"),
/// on the synthetic corpus, and show what they promise; a broken cell fails the run naming its notebook, cell and error.</summary>
[Collection(PackedFeed.Collection)]
public sealed class NotebookTests(PackedFeed packed)
{
    private readonly NotebookRuns runs = packed.Notebooks;

    public static TheoryData<string> Names => [.. NotebookFile.Names];

    [Theory]
    [MemberData(nameof(Names))]
    [Trait("Category", Category.Notebook)]
    public void EachFigureCellDrawsAnImageAndEachTableCellATable(string name)
    {
        var cells = runs.Get(name);
        Assert.True(cells.Count >= 3, $"{name}: {cells.Count} code cells");
        Assert.Contains("synthetic corpus", NotebookFile.Text(cells[1].Outputs));
        var problems = new List<string>();
        for (var i = 0; i < cells.Count; i++)
        {
            var shows = NotebookFile.Shows(cells[i].Source);
            if (shows.Contains("figure") && !NotebookFile.HasImage(cells[i].Outputs)) problems.Add($"cell {i}: no image");
            if (shows.Contains("table") && !NotebookFile.HasTable(cells[i].Outputs)) problems.Add($"cell {i}: no table");
        }
        Assert.True(problems.Count == 0, $"{name}: {string.Join("; ", problems)}");
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void ExploreShowsBalanceClipsFacesTsneCleaningAndLandmarks()
    {
        var text = string.Join("\n", runs.Get("01-explore-corpus.ipynb").Select(c => NotebookFile.Text(c.Outputs)));
        Assert.Contains("<span>emotion</span>", text);
        Assert.Contains("<span>speaker</span>", text);
        Assert.Contains("<audio controls src=\"data:audio/wav;base64,", text);
        Assert.Matches(@"5-NN purity: by speaker [0-9.]+ \(chance [0-9.]+\), by emotion [0-9.]+", text);
        var snr = Regex.Match(text, @"SNR against the clean clip: noisy (-?[0-9.]+) dB, after spectral_gate (-?[0-9.]+) dB");
        Assert.True(snr.Success, "the audio-cleaning cell's SNR line is missing");
        Assert.Equal(10.0, double.Parse(snr.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1);
        Assert.Contains("68 landmarks in a ", text);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void TrainUpdatedItsCurveAndShowsTheReport()
    {
        var cells = runs.Get("02-train.ipynb");
        var text = string.Join("\n", cells.Select(c => NotebookFile.Text(c.Outputs)));
        Assert.Contains("class=\"metrics\"", text);
        Assert.Contains("<span>val_acc</span>", text);
        Assert.Matches("best validation accuracy [0-9.]+ at epoch [0-9]+", text);
        // The live cell keeps one figure, updated in place: the last update is what is stored.
        var live = cells.Single(c => c.Source.Contains("LiveCurve", StringComparison.Ordinal));
        Assert.Single(live.Outputs, o => o?["data"]?["image/png"] != null);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void FacesCompareTheShortScheduleWithTheShippedModel()
    {
        var text = string.Join("\n", runs.Get("03-train-faces.ipynb").Select(c => NotebookFile.Text(c.Outputs)));
        Assert.Contains("short schedule (this notebook)", text);
        Assert.Contains("shipped fer2013-face", text);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void EvaluateShowsPerSpeakerIntervalsAndErrorsWithAudio()
    {
        var text = string.Join("\n", runs.Get("04-evaluate.ipynb").Select(c => NotebookFile.Text(c.Outputs)));
        Assert.Contains("<span>precision</span>", text);
        Assert.Contains("<span>lower</span>", text);
        Assert.Contains("<span>confidence</span>", text);
        Assert.Contains("data:audio/wav;base64,", text);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void ProtocolsShowBothCrossValidations()
    {
        var text = string.Join("\n", runs.Get("05-protocols.ipynb").Select(c => NotebookFile.Text(c.Outputs)));
        Assert.Contains("speaker k-fold (speaker-independent)", text);
        Assert.Contains("stratified k-fold over clips", text);
        Assert.Matches("stratified minus speaker-independent: [+-][0-9.]+ accuracy", text);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void ExplainShowsGradCamOnFacesAndMfccsAndShapleyValues()
    {
        var text = string.Join("\n", runs.Get("06-explain.ipynb").Select(c => NotebookFile.Text(c.Outputs)));
        Assert.Contains("<figcaption>Grad-CAM of conv2Dblock2", text);
        Assert.Contains("<figcaption>t-SNE of the penultimate-layer embeddings", text);
        Assert.Contains("<span>feature</span>", text);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void PredictShowsAudioAndFaceTimelinesOfAVideo()
    {
        var text = string.Join("\n", runs.Get("07-predict.ipynb").Select(c => NotebookFile.Text(c.Outputs)));
        Assert.Contains("<td>fer2013-face</td>", text);
        Assert.Contains("<td>ravdess-speech</td>", text);
        Assert.Contains("<td>audio</td>", text);
        Assert.Contains("<td>face</td>", text);
    }
}

/// <summary>The runner itself, in this process: failures name notebook, cell and error; outputs are stored as
/// Polyglot stores them and cleared again.</summary>
public sealed class NotebookRunnerTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-runner-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void ABrokenCellFailsTheRunNamingNotebookCellAndError()
    {
        var path = Path.Combine(dir, "broken.ipynb");
        WriteNotebook(path, Markdown("# a title"), Code("var x = 1 + 1;"), Code("display(x);"),
            Code("throw new InvalidOperationException(\"boom\");"), Code("display(\"never\");"));
        var e = Assert.Throws<NotebookCellException>(() => NotebookRunner.NotebookRunner.Run(path));
        Assert.Equal(3, e.Cell); // index among all cells, the markdown one included
        Assert.Contains("broken.ipynb: cell 3", e.Message);
        Assert.Contains("boom", e.Message);

        WriteNotebook(path, Code("var x = ;"), Code("display(1);")); // a compile error names its cell too
        e = Assert.Throws<NotebookCellException>(() => NotebookRunner.NotebookRunner.Run(path));
        Assert.Equal(0, e.Cell);
        Assert.Contains("CS1525", e.Message);
    }

    [Fact]
    [Trait("Category", Category.Notebook)]
    public void RunStoresOutputsAsPolyglotDoesAndClearRemovesThem()
    {
        var path = Path.Combine(dir, "small.ipynb");
        var dll = typeof(NotebookFormatters).Assembly.Location;
        WriteNotebook(path,
            Code($"#r \"{dll}\"\nusing AverLab.Notebooks;\nNotebookFormatters.Register();"),
            Code("display(TorchSharp.torch.ones(2, 2));"),
            Code("var p = new ScottPlot.Plot(); p.Add.Signal(new double[] { 1, 3, 2 }); display(p);"),
            Code("Console.WriteLine(\"printed\");"),
            Code("1 + 2"));
        NotebookRunner.NotebookRunner.WriteOutputs(path, NotebookRunner.NotebookRunner.Run(path));
        var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
        var tensor = cells[1]!["outputs"]![0]!;
        Assert.Equal("display_data", tensor["output_type"]!.GetValue<string>());
        Assert.Contains("<b>tensor</b> [2 x 2] float32", NotebookFile.Flatten(tensor["data"]!["text/html"]!));
        var png = Convert.FromBase64String(NotebookFile.Flatten(cells[2]!["outputs"]![0]!["data"]!["image/png"]!));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Contains("printed", NotebookFile.Flatten(cells[3]!["outputs"]![0]!["text"]!));
        Assert.Equal("execute_result", cells[4]!["outputs"]![0]!["output_type"]!.GetValue<string>());
        Assert.Equal(5, cells[4]!["execution_count"]!.GetValue<int>());

        NotebookRunner.NotebookRunner.WriteOutputs(path, null);
        foreach (var cell in JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray())
            Assert.Empty(cell!["outputs"]!.AsArray());
    }

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
