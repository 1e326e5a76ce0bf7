using AverLab.NotebookRunner;

// averlab-notebooks run|check|clear [--feed DIR] [--package-version V] [--save-to DIR] <notebook.ipynb>...
//   run: execute each notebook on the Polyglot kernel and store its outputs (as Polyglot Notebooks saves them);
//   check: execute and report only; clear: remove stored outputs and execution counts.
//   --feed DIR: run the notebooks' #i "nuget: …" lines against DIR (the files keep theirs);
//   --package-version V: load AverLab's packages at version V (a test's own pack) instead of the notebook's;
//   --save-to DIR: store the executed notebooks in DIR instead of over the originals.
const string Usage = "usage: averlab-notebooks run|check|clear [--feed DIR] [--package-version V] [--save-to DIR] <notebook.ipynb>...";
if (args.Length < 2 || args[0] is not ("run" or "refresh" or "check" or "clear"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}
string? feed = null, saveTo = null, version = null;
var paths = new List<string>();
for (var i = 1; i < args.Length; i++)
{
    if (args[i] is "--feed" or "--save-to" or "--package-version")
    {
        if (i + 1 >= args.Length) { Console.Error.WriteLine($"{args[i]} needs a value. {Usage}"); return 2; }
        if (args[i] == "--feed") feed = args[++i]; else if (args[i] == "--save-to") saveTo = args[++i]; else version = args[++i];
        if (feed != null && !Directory.Exists(feed)) { Console.Error.WriteLine($"--feed {feed}: no such folder (bash scripts/notebooks.sh pack makes it)"); return 2; }
    }
    else paths.Add(args[i]);
}
var failed = 0;
foreach (var path in paths)
{
    try
    {
        if (args[0] == "clear")
        {
            NotebookRunner.WriteOutputs(path, null, saveTo);
            Console.WriteLine($"{path}: outputs cleared");
            continue;
        }
        var started = DateTime.UtcNow;
        var result = await NotebookRunner.RunAsync(path, feed, version);
        if (args[0] is "run" or "refresh") NotebookRunner.WriteOutputs(path, result, saveTo);
        Console.WriteLine($"{path}: {result.Cells} cells ran in {(DateTime.UtcNow - started).TotalSeconds:0} s, {result.Outputs.Count} outputs{(args[0] == "check" ? "" : " stored")}");
    }
    catch (Exception e) when (e is NotebookCellException or IOException or System.Text.Json.JsonException)
    {
        failed++;
        Console.Error.WriteLine(e.Message);
    }
}
return failed == 0 ? 0 : 1;
