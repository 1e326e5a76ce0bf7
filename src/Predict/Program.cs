using AverLab.Predict;

// averlab-predict <file|folder> --model <run-dir|model.json> [--mode auto|audio|image|video|combined] ...
// TorchSharp's native library must load before anything else happens: one clear line when it does not.
if (AverLab.Models.Engine.LoadProblem() is { } problem)
{
    Console.Error.WriteLine($"error: {problem}");
    return 3;
}
// Exit codes: 0 all analysed, 1 some files of a batch failed, 2 bad usage, 3 nothing analysed (README "Exit codes").
return PredictCli.Run(args);
