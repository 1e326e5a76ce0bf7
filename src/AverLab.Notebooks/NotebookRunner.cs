using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace AverLab.Notebooks;

/// <summary>A cell that failed: which one, and why (compile error or exception).</summary>
public sealed class NotebookCellException(string notebook, int cell, string message, Exception? inner = null)
    : Exception($"{notebook}: cell {cell} failed: {message}", inner)
{
    public int Cell { get; } = cell;
}

/// <summary>Runs a Polyglot notebook's C# cells in order, as one program with shared state (the kernel's
/// semantics), with display() provided and the AverLab assemblies referenced. `#r`/`#!` magic lines, which a
/// Polyglot kernel uses to load the built assemblies, are dropped: the runner references them itself.</summary>
public static class NotebookRunner
{
    public sealed record Result(string Notebook, int Cells, IReadOnlyList<(int cell, string html)> Outputs);

    public static IReadOnlyList<string> CodeCells(JsonNode notebook) =>
        notebook["cells"]!.AsArray()
            .Where(c => c!["cell_type"]!.GetValue<string>() == "code")
            .Select(c => string.Join("", c!["source"] is JsonArray a ? a.Select(l => l!.GetValue<string>()) : [c["source"]!.GetValue<string>()]))
            .ToList();

    public static Result Run(string path)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty notebook");
        var cells = CodeCells(notebook);
        var options = ScriptOptions.Default
            .WithReferences(typeof(TorchSharp.torch).Assembly, typeof(Models.ModelFile).Assembly, typeof(Media.MediaFormatException).Assembly, typeof(Data.Loading.IDataset).Assembly,
                typeof(Models.ModelRegistry).Assembly, typeof(Training.Experiments.ExperimentRunner).Assembly,
                typeof(Inference.Predictor).Assembly, typeof(Html).Assembly, typeof(ScottPlot.Plot).Assembly)
            .WithImports("System", "System.IO", "System.Linq", "System.Collections.Generic", "AverLab.Notebooks")
            .WithAllowUnsafe(false);
        var globals = new NotebookGlobals();
        ScriptState<object>? state = null;
        for (var i = 0; i < cells.Count; i++)
        {
            var code = string.Join('\n', cells[i].Split('\n').Where(l => !l.TrimStart().StartsWith("#r ", StringComparison.Ordinal) && !l.TrimStart().StartsWith("#!", StringComparison.Ordinal)));
            globals.CurrentCell = i;
            try
            {
                state = state == null
                    ? CSharpScript.RunAsync(code, options, globals, typeof(NotebookGlobals)).GetAwaiter().GetResult()
                    : state.ContinueWithAsync(code, options).GetAwaiter().GetResult();
                if (state.ReturnValue is { } value) globals.display(value);
            }
            catch (CompilationErrorException e)
            {
                throw new NotebookCellException(path, i, string.Join("; ", e.Diagnostics.Select(d => d.ToString())), e);
            }
            catch (Exception e) when (e is not NotebookCellException)
            {
                throw new NotebookCellException(path, i, $"{e.GetType().Name}: {e.Message}", e);
            }
        }
        return new Result(path, cells.Count, globals.Outputs);
    }

    /// <summary>Stores each cell's displayed HTML as its outputs (execution counts numbered), or clears them.</summary>
    public static void WriteOutputs(string path, Result? result)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(path))!;
        var code = 0;
        foreach (var cell in notebook["cells"]!.AsArray())
        {
            if (cell!["cell_type"]!.GetValue<string>() != "code") continue;
            var outputs = new JsonArray();
            if (result != null)
                foreach (var (_, html) in result.Outputs.Where(o => o.cell == code))
                    outputs.Add(new JsonObject
                    {
                        ["output_type"] = "display_data",
                        ["data"] = new JsonObject { ["text/html"] = html },
                        ["metadata"] = new JsonObject(),
                    });
            cell["outputs"] = outputs;
            cell["execution_count"] = result == null ? null : code + 1;
            code++;
        }
        IO.AtomicFile.WriteAllText(path, notebook.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
