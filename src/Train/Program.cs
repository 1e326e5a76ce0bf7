using System.CommandLine;
using AverLab.Train;

// averlab-train: dotnet run --project src/Train -- --config configs/quickstart.yaml [--set a.b=c ...] [--resume <run>]
return Cli.Build().Parse(args).Invoke();
