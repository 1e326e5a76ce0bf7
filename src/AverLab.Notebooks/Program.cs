using AverLab.Notebooks;

// averlab-notebooks run|check|clear <notebook.ipynb>...
//   run: execute each notebook on the Polyglot kernel and store its outputs (as Polyglot Notebooks saves them);
//   check: execute and report only; clear: remove stored outputs and execution counts.
if (args.Length < 2 || args[0] is not ("run" or "refresh" or "check" or "clear"))
{
    Console.Error.WriteLine("usage: averlab-notebooks run|check|clear <notebook.ipynb>...");
    return 2;
}
var failed = 0;
foreach (var path in args.Skip(1))
{
    try
    {
        if (args[0] == "clear")
        {
            NotebookRunner.WriteOutputs(path, null);
            Console.WriteLine($"{path}: outputs cleared");
            continue;
        }
        var result = await NotebookRunner.RunAsync(path);
        if (args[0] is "run" or "refresh") NotebookRunner.WriteOutputs(path, result);
        Console.WriteLine($"{path}: {result.Cells} cells ran, {result.Outputs.Count} outputs{(args[0] == "check" ? "" : " stored")}");
    }
    catch (Exception e) when (e is NotebookCellException or IOException or System.Text.Json.JsonException)
    {
        failed++;
        Console.Error.WriteLine(e.Message);
    }
}
return failed == 0 ? 0 : 1;
