using AverLab.Bench;

// Usage: AverLab.Bench <suite>   (suites: engine)
var suite = args.Length > 0 ? args[0] : "engine";
switch (suite)
{
    case "engine":
        EngineWorkloads.Run();
        break;
    case "models": ModelWorkloads.Run(args[1..]); break;
    default:
        Console.Error.WriteLine($"unknown suite '{suite}' (known: engine)");
        return 2;
}
return 0;
