using AverLab.Train;

// averlab-train: dotnet run --project src/Train -- --config configs/quickstart.yaml [--set a.b=c ...] [--resume <run>]
// Exit codes: 0 done, 2 bad usage or config, 3 could not be done (README "Exit codes").
return Cli.Run(args);
