using AverLab.Bench;

// Usage: AverLab.Bench <suite>   (suites: engine, nn, models)
var suite = args.Length > 0 ? args[0] : "engine";
switch (suite)
{
    case "engine":
        EngineWorkloads.Run();
        break;
    case "nn":
        NnWorkloads.Run();
        break;
    case "models":
        ModelWorkloads.Run(args[1..]);
        break;
    default:
        Console.Error.WriteLine($"unknown suite '{suite}' (known: engine, nn, models)");
        return 2;
}
return 0;
