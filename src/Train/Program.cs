using AverLab.Train;

// averlab-train: dotnet run --project src/Train -- --config configs/quickstart.yaml [--set a.b=c ...] [--resume <run>]
// TorchSharp's native library must load before anything else happens: one clear line when it does not.
if (AverLab.Models.Engine.LoadProblem() is { } problem)
{
    Console.Error.WriteLine($"error: {problem}");
    return 3;
}
// Exit codes: 0 done, 2 bad usage or config, 3 could not be done (README "Exit codes").
return Cli.Run(args);
