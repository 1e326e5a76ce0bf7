using AverLab.Predict;

// averlab-predict <file|folder> --model <run-dir|model.json> [--mode auto|audio|image|video|combined] ...
return PredictCli.Build().Parse(args).Invoke();
