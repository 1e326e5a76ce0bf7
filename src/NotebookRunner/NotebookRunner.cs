using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;
using DocumentKernelInfo = Microsoft.DotNet.Interactive.Documents.KernelInfo;

namespace AverLab.NotebookRunner;

/// <summary>A cell that failed: the notebook, the cell's index among all its cells (0-based, as the file lists
/// them, markdown included), its first line, and the kernel's error (compile diagnostics or the exception).</summary>
public sealed class NotebookCellException(string notebook, int cell, string firstLine, string error, Exception? inner = null)
    : Exception($"{Path.GetFileName(notebook)}: cell {cell} ({firstLine}) failed: {error}", inner)
{
    public string Notebook { get; } = notebook;
    public int Cell { get; } = cell;
    public string Error { get; } = error;
}

/// <summary>What one code cell produced, in order: display() values, the cell's return value, standard output and
/// error, each with its formatted values by MIME type (as the kernel sends them to Polyglot Notebooks).</summary>
public sealed record CellOutput(int Cell, CellOutputKind Kind, IReadOnlyDictionary<string, string> Data)
{
    public string? Html => Data.GetValueOrDefault("text/html");
    public string? Png => Data.GetValueOrDefault("image/png");
    public string? Text => Data.GetValueOrDefault("text/plain");
}

public enum CellOutputKind { Display, ReturnValue, StandardOutput, StandardError }

/// <summary>Runs a notebook's code cells in order on the Polyglot Notebooks kernel — a
/// <see cref="CSharpKernel"/> (with the kernel helpers: <c>display</c>) in a <see cref="CompositeKernel"/> — in the
/// notebook's folder, as VS Code's Polyglot extension does, so its <c>#r "../src/…/averlab-notebooks.dll"</c> line
/// resolves. The first failing cell stops the run with a <see cref="NotebookCellException"/>.</summary>
public static class NotebookRunner
{
    public sealed record Result(string Notebook, int Cells, IReadOnlyList<CellOutput> Outputs);

    private static readonly SemaphoreSlim WorkingDirectory = new(1, 1);

    /// <summary>The kernels the notebooks name (C#; markdown cells are not run).</summary>
    public static KernelInfoCollection KernelInfos() => new()
    {
        new DocumentKernelInfo("csharp", "C#", ["c#", "C#", "cs"]),
        new DocumentKernelInfo("markdown", "Markdown", ["md"]),
    };

    public static InteractiveDocument Read(string path)
    {
        var kernels = KernelInfos();
        kernels.DefaultKernelName = "csharp";
        return Notebook.Parse(File.ReadAllText(path), kernels);
    }

    /// <summary>A kernel as Polyglot Notebooks starts one for C#.</summary>
    public static CompositeKernel CreateKernel()
    {
        // #r "nuget:" and #i "nuget:" (the notebooks' first cell loads AverLab from the packed feed), as Polyglot has:
        // the packages' assemblies become references, their native folders are searched for P/Invoke libraries.
        var csharp = new CSharpKernel().UseKernelHelpers().UseNugetDirective((k, packages) =>
        {
            NativeProbing.Add(packages);
            k.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
            return Task.CompletedTask;
        });
        var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        return kernel;
    }

    /// <summary>The <c>#i "nuget: …"</c> line that names the local feed (Polyglot takes only absolute paths there:
    /// dotnet/interactive#3110).</summary>
    private static readonly System.Text.RegularExpressions.Regex FeedLine = new(@"^#i\s+""nuget:\s*[^""]*""", System.Text.RegularExpressions.RegexOptions.Multiline);

    /// <summary>The <c>#r "nuget: AverLab.…, version"</c> lines: the version part.</summary>
    private static readonly System.Text.RegularExpressions.Regex AverLabPackage = new(@"^(#r\s+""nuget:\s*AverLab\.[A-Za-z.]+\s*,\s*)[^""]*""", System.Text.RegularExpressions.RegexOptions.Multiline);

    /// <summary>Runs the notebook's code cells; with <paramref name="feed"/>, each <c>#i "nuget: …"</c> line is pointed
    /// at that folder instead, and with <paramref name="version"/> each AverLab package reference asks for that version
    /// (the file is not changed): a test runs the packages it packed itself, under a version no cache holds yet.</summary>
    public static async Task<Result> RunAsync(string path, string? feed = null, string? version = null, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        var document = Read(full);
        var outputs = new List<CellOutput>();
        var shown = new Dictionary<string, int>(StringComparer.Ordinal);
        var cells = 0;
        // The kernel resolves relative #r paths against the process's working directory, which is one per process.
        await WorkingDirectory.WaitAsync(cancellationToken);
        var previous = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(Path.GetDirectoryName(full)!);
            using var kernel = CreateKernel();
            for (var i = 0; i < document.Elements.Count; i++)
            {
                var element = document.Elements[i];
                if (!IsCode(element)) continue;
                cancellationToken.ThrowIfCancellationRequested();
                cells++;
                var unclaimed = new List<int>(); // this cell's display() outputs no update has claimed
                KernelCommandResult result;
                try
                {
                    var code = feed is null ? element.Contents : FeedLine.Replace(element.Contents, $"#i \"nuget: {Path.GetFullPath(feed)}\"");
                    if (version != null) code = AverLabPackage.Replace(code, m => $"{m.Groups[1].Value}{version}\"");
                    result = await kernel.SendAsync(new SubmitCode(code, element.KernelName ?? "csharp"), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new NotebookCellException(full, i, FirstLine(element), $"{e.GetType().Name}: {e.Message}", e);
                }
                foreach (var e in result.Events)
                {
                    switch (e)
                    {
                        case CommandFailed failed:
                            throw new NotebookCellException(full, i, FirstLine(element), Describe(failed), failed.Exception);
                        case DisplayEvent display:
                            var data = display.FormattedValues.Where(v => !v.SuppressDisplay)
                                .GroupBy(v => v.MimeType).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
                            if (data.Count == 0) break;
                            var kind = display switch
                            {
                                ReturnValueProduced => CellOutputKind.ReturnValue,
                                StandardOutputValueProduced => CellOutputKind.StandardOutput,
                                StandardErrorValueProduced => CellOutputKind.StandardError,
                                _ => CellOutputKind.Display,
                            };
                            // An update (the restore's progress, a live curve) replaces the value it updates, as Polyglot
                            // shows it. display()'s first event carries another id than the DisplayedValue's updates, so
                            // an update of an unknown id takes the cell's latest display not yet claimed by one.
                            var output = new CellOutput(i, kind, data);
                            if (display is DisplayedValueUpdated && !string.IsNullOrEmpty(display.ValueId) && !shown.ContainsKey(display.ValueId) && unclaimed.Count > 0)
                            {
                                shown[display.ValueId] = unclaimed[^1];
                                unclaimed.RemoveAt(unclaimed.Count - 1);
                            }
                            if (!string.IsNullOrEmpty(display.ValueId) && shown.TryGetValue(display.ValueId, out var at)) outputs[at] = output;
                            else
                            {
                                if (!string.IsNullOrEmpty(display.ValueId)) shown[display.ValueId] = outputs.Count;
                                if (display is DisplayedValueProduced) unclaimed.Add(outputs.Count);
                                outputs.Add(output);
                            }
                            break;
                    }
                }
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
            WorkingDirectory.Release();
        }
        return new Result(full, cells, outputs);
    }

    public static Result Run(string path, string? feed = null, string? version = null) => RunAsync(path, feed, version).GetAwaiter().GetResult();

    /// <summary>Stores each code cell's outputs in the notebook as Polyglot Notebooks saves them (display data by MIME
    /// type — text/html, image/png as base64, text/plain —, execute results, streams; execution counts numbered),
    /// or clears outputs and counts when <paramref name="result"/> is null.</summary>
    public static void WriteOutputs(string path, Result? result, string? saveTo = null)
    {
        var document = Read(path);
        if (saveTo != null) path = Path.Combine(Directory.CreateDirectory(saveTo).FullName, Path.GetFileName(path));
        var order = 0;
        for (var i = 0; i < document.Elements.Count; i++)
        {
            var element = document.Elements[i];
            element.Outputs.Clear();
            if (!IsCode(element)) continue;
            element.ExecutionOrder = result == null ? 0 : ++order;
            if (result == null) continue;
            var stdout = new List<(string name, string text)>();
            foreach (var output in result.Outputs.Where(o => o.Cell == i))
            {
                var data = output.Data.ToDictionary(d => d.Key, d => (object)d.Value, StringComparer.Ordinal);
                switch (output.Kind)
                {
                    case CellOutputKind.ReturnValue:
                        var value = new ReturnValueElement { ExecutionOrder = order };
                        foreach (var (k, v) in data) value.Data[k] = v;
                        element.Outputs.Add(value);
                        break;
                    case CellOutputKind.StandardOutput or CellOutputKind.StandardError:
                        element.Outputs.Add(new TextElement(output.Text ?? "", output.Kind == CellOutputKind.StandardOutput ? "stdout" : "stderr"));
                        break;
                    default:
                        element.Outputs.Add(new DisplayElement(data));
                        break;
                }
            }
        }
        // The notebook's own metadata (kernelspec, Polyglot's kernelInfo) is written back as it was read.
        // Written beside and renamed over, so a killed run never leaves half a notebook.
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, Notebook.ToJupyterJson(document).TrimEnd() + "\n");
        File.Move(temp, path, overwrite: true);
    }

    private static bool IsCode(InteractiveDocumentElement element) =>
        element.KernelName is not ("markdown" or "md") && !string.IsNullOrWhiteSpace(element.Contents);

    private static string FirstLine(InteractiveDocumentElement element)
    {
        var line = element.Contents.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#')) ?? "";
        return line.Length > 60 ? line[..57] + "..." : line;
    }

    private static string Describe(CommandFailed failed)
    {
        var message = failed.Message;
        if (failed.Exception is { } e && !message.Contains(e.Message, StringComparison.Ordinal))
            message = $"{e.GetType().Name}: {e.Message}" + (string.IsNullOrEmpty(message) ? "" : $" ({message})");
        return message;
    }
}
