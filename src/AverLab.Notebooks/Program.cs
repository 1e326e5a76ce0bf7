using AverLab.Notebooks;

// averlab-notebooks run|refresh|clear <notebook.ipynb>...
//   run: execute and report; refresh: execute and store the outputs in the notebook; clear: remove outputs.
if (args.Length < 2 || args[0] is not ("run" or "refresh" or "clear"))
{
    Console.Error.WriteLine("usage: averlab-notebooks run|refresh|clear <notebook.ipynb>...");
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
        var result = NotebookRunner.Run(path);
        if (args[0] == "refresh") NotebookRunner.WriteOutputs(path, result);
        Console.WriteLine($"{path}: {result.Cells} cells ran, {result.Outputs.Count} outputs");
    }
    catch (Exception e) when (e is NotebookCellException or IOException or System.Text.Json.JsonException)
    {
        failed++;
        Console.Error.WriteLine(e.Message);
    }
}
return failed == 0 ? 0 : 1;
