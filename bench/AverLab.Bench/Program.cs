using AverLab.Bench;

// Usage: AverLab.Bench <suite>   (suites: engine, nn, models; libs: the math libraries this process has mapped;
// frontends <audio folder> [n]: feature-cache fills in clips/s)
// Engine: TorchSharp. Touching AverLab.Models' Engine first runs its module initializer (glibc heap retention,
// AVERLAB_MALLOC) before libtorch allocates anything, in every suite, as in the workbench's own processes.
_ = AverLab.Models.Engine.Allocator;
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
    case "libs":
        Libraries.Print();
        break;
    case "convs":
        ConvLayers.Run(args[1..]);
        break;
    case "frontends":
        FrontEndFill.Run(args[1..]);
        break;
    default:
        Console.Error.WriteLine($"unknown suite '{suite}' (known: engine, nn, models, libs, frontends)");
        return 2;
}
return 0;
