using AverLab.Predict;

// averlab-predict <file|folder> --model <run-dir|model.json> [--mode auto|audio|image|video|combined] ...
// Exit codes: 0 all analysed, 1 some files of a batch failed, 2 bad usage, 3 nothing analysed (README "Exit codes").
return PredictCli.Run(args);
