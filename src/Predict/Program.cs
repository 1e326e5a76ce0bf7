using AverLab.Predict;

// averlab-predict <file|folder> --model <run-dir|model.json> [--mode auto|audio|image|video|combined] ...
// TorchSharp's native library must load before anything else happens: one clear line when it does not.
if (AverLab.Models.Engine.LoadProblem() is { } problem)
{
    Console.Error.WriteLine($"error: {problem}");
    return 3;
}
return PredictCli.Build().Parse(args).Invoke();
