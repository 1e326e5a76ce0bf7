using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using AverLab.Data.Synthetic;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Training.Distributed;
using AverLab.Training.Experiments;
using AverLab.Training.Loop;
using AverLab.Training.Search;
using Spectre.Console;
using AverLab.Runs;

namespace AverLab.Train;

/// <summary>The command tree. Every command validates its inputs first and exits non-zero with one clear line on
/// error (the config's file:line for config mistakes), never a stack trace for a user error.</summary>
internal static class Cli
{
    private static readonly Option<string?> ConfigOption = new("--config", "-c") { Description = "experiment config (YAML), e.g. configs/quickstart.yaml" };
    private static readonly Option<string[]> SetOption = new("--set") { Description = "override a config key: --set training.epochs=5 (repeatable)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> ResumeOption = new("--resume") { Description = "resume the run in this run folder from its last checkpoint" };
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "check everything short of training (config, corpus read and split with counts, one item's features, the model and one forward pass, the output folder) and write nothing" };
    private static readonly Option<string?> BackendOption = new("--backend") { Description = "where trials/folds run: local or slurm (overrides search.backend)" };
    private static readonly Option<bool> EmitOnlyOption = new("--emit-only") { Description = "backend slurm: write the trial/fold configs and the sbatch script, submit nothing" };
    private static readonly Option<string?> RunDirOption = new("--run-dir") { Description = "use this run folder (continued from its last checkpoint when it has one); sweeps pass it to their workers" };

    public static RootCommand Build()
    {
        var root = new RootCommand("AverLab training workbench: train a config, generate the synthetic corpus, sweep, evaluate, explain, cross-validate, compare.")
        {
            ConfigOption, SetOption, ResumeOption, DryRunOption, RunDirOption,
        };
        root.SetAction(p => Guard(() => Train(p.GetValue(ConfigOption), p.GetValue(SetOption) ?? [], p.GetValue(ResumeOption),
            p.GetValue(DryRunOption), p.GetValue(RunDirOption))));
        root.Subcommands.Add(SynthCommand());
        root.Subcommands.Add(SweepCommand());
        root.Subcommands.Add(EvaluateCommand());
        root.Subcommands.Add(PackageCommand());
        root.Subcommands.Add(ExplainCommand());
        root.Subcommands.Add(CrossValidateCommand());
        root.Subcommands.Add(CompareCommand());
        root.Subcommands.Add(ModelsCommand());
        root.Subcommands.Add(ConfigReferenceCommand());
        return root;
    }

    /// <summary>Exit codes of every command (README "Exit codes"): 0 done; 2 bad usage or config (the command line,
    /// a config key, or a config value the data or the model refuses; nothing was started); 3 the work could not be
    /// done (unusable data, I/O, a failed training). 1 is batch-only (some items failed) and not used by training.</summary>
    public const int Ok = 0, Usage = 2, Failed = 3;

    /// <summary>Parses and runs; a command line System.CommandLine rejects is exit 2 with its messages.</summary>
    public static int Run(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"usage error: {e.Message}");
            Console.Error.WriteLine("see --help");
            return Usage;
        }
        return parse.Invoke();
    }

    /// <summary>Errors become one line on stderr and an exit code: config and usage errors 2, everything else 3. An
    /// exception no layer expected is still one line (a bug to report; AVERLAB_DEBUG=1 prints the stack).</summary>
    private static int Guard(Func<int> action)
    {
        var code = GuardInner(action);
        // A data-parallel rank that failed ends the whole job (the others would wait in an all-reduce for ever); one
        // that finished finalizes MPI, which mpirun expects of every rank.
        if (MpiWorld.Started is { } world)
        {
            Console.Out.Flush();
            Console.Error.Flush();
            if (code != Ok && world.Size > 1) world.Abort(code);
            world.Dispose();
        }
        return code;
    }

    private static int GuardInner(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"config error: {e.Message}");
            return Usage;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"usage error: {e.Message}");
            return Usage;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or NotSupportedException
                                       or InvalidDataException or NonFiniteLossException or UnauthorizedAccessException
                                       or System.Runtime.InteropServices.ExternalException or AverLab.Models.StateDictException or FormatException)
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return Failed;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"internal error ({e.GetType().Name}, please report): {OneLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("AVERLAB_DEBUG") == "1") Console.Error.WriteLine(e);
            return Failed;
        }
    }

    private static string OneLine(string s) => s.Replace("\r\n", " ").Replace('\n', ' ').Replace('\t', ' ');

    private static int Train(string? config, string[] sets, string? resume, bool dryRun, string? runDir = null)
    {
        if (config == null && resume == null) throw new UsageException("give --config <file.yaml> (or --resume <run-folder>); see --help");
        if (resume != null && config != null) throw new UsageException("--resume continues a run with its own config.yaml; leave out --config");
        if (resume != null && sets.Length > 0) throw new UsageException("--resume continues a run with its own config.yaml; --set does not apply (start a new run to change keys)");
        if (resume != null && runDir != null) throw new UsageException("--resume and --run-dir both name the run folder; give one");
        // A resumed run uses its own resolved config, so nothing can drift between the halves.
        var path = resume != null ? RunFolder.Open(resume).ConfigYaml : config!;
        var loaded = ConfigLoader.Load(path, resume != null ? [] : sets);
        if (dryRun)
        {
            var c = loaded.Config;
            var report = DryRun.Check(loaded);
            Console.WriteLine($"config ok: {c.Name}: {c.Model.Name} on {c.Data.Corpus} ({c.Data.Root}), {c.Training.Epochs} epochs");
            Console.WriteLine(report.Describe());
            Console.WriteLine("resolved config:");
            Console.Write(loaded.ResolvedYaml());
            Console.WriteLine("dry run: nothing was written");
            return Ok;
        }
        var result = ConsoleProgress.Run(progress => ExperimentRunner.Run(loaded, new RunOptions
        {
            ResumeDir = resume, RunDir = runDir, Progress = progress, CacheProgress = progress,
        }));
        if (result.Root) PrintResult(result);
        return Ok;
    }

    private static void PrintResult(RunResult r)
    {
        var m = r.Test;
        var table = new Table().AddColumn("metric").AddColumn("test");
        table.AddRow("accuracy", $"{m.Accuracy:F4} (95% CI {m.AccuracyCi?.Lower:F3}–{m.AccuracyCi?.Upper:F3})");
        table.AddRow("balanced accuracy", $"{m.BalancedAccuracy:F4}");
        table.AddRow("macro F1", $"{m.MacroF1:F4}");
        table.AddRow("macro ROC AUC", $"{m.RocAucMacro:F4}");
        table.AddRow("items", m.Count.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        Console.WriteLine($"run folder: {r.Folder.Path}");
        Console.WriteLine($"report:     {r.Folder.ReportHtml}");
    }

    private static Command SynthCommand()
    {
        var outOption = new Option<string>("--out") { Description = "output folder (ravdess/ and fer2013.csv go inside)", Required = true };
        var seedOption = new Option<int>("--seed") { Description = "seed (the same seed gives the same bytes)", DefaultValueFactory = _ => 0 };
        var actorsOption = new Option<int>("--actors") { Description = "number of actors (1..99)", DefaultValueFactory = _ => 8 };
        var rateOption = new Option<int>("--sample-rate") { Description = "16000 or 48000", DefaultValueFactory = _ => 16000 };
        var noVideo = new Option<bool>("--no-video") { Description = "skip the audio-visual mp4s" };
        var videoAll = new Option<bool>("--video-all") { Description = "an mp4 for every speech combination (as many as the wavs), not one per emotion: data for the video models" };
        var ferOption = new Option<int>("--fer-per-class") { Description = "FER2013-format faces per class (0: none)", DefaultValueFactory = _ => 300 };
        var cmd = new Command("synth", "Generate the deterministic synthetic corpus in RAVDESS and FER2013 layouts.")
        {
            outOption, seedOption, actorsOption, rateOption, noVideo, videoAll, ferOption,
        };
        cmd.SetAction(p => Guard(() =>
        {
            if (p.GetValue(actorsOption) is < 1 or > 99) throw new UsageException($"--actors must be in 1..99, got {p.GetValue(actorsOption)}");
            if (p.GetValue(rateOption) is not (16000 or 48000)) throw new UsageException($"--sample-rate must be 16000 or 48000, got {p.GetValue(rateOption)}");
            if (p.GetValue(ferOption) < 0) throw new UsageException($"--fer-per-class must be 0 or more, got {p.GetValue(ferOption)}");
            if (p.GetValue(noVideo) && p.GetValue(videoAll)) throw new UsageException("--no-video and --video-all contradict each other");
            var r = SyntheticCorpus.Generate(p.GetValue(outOption)!, new SyntheticCorpusOptions
            {
                Seed = p.GetValue(seedOption), Actors = p.GetValue(actorsOption), SampleRate = p.GetValue(rateOption),
                Video = !p.GetValue(noVideo), VideoAllCombinations = p.GetValue(videoAll), FerPerClass = p.GetValue(ferOption),
            });
            Console.WriteLine($"synthetic corpus: {r.AudioFiles} wavs, {r.VideoFiles} mp4s, {r.FerRows} FER faces in {r.Elapsed.TotalSeconds:F1}s");
            Console.WriteLine($"ravdess root: {r.RavdessRoot}{(r.FerCsv != null ? $"\nfer2013 csv:  {r.FerCsv}" : "")}");
            return 0;
        }));
        return cmd;
    }

    private static Command SweepCommand()
    {
        var cmd = new Command("sweep", "Hyperparameter search (grid, random, ASHA) over the config's search: section; resumable; locally or as Slurm job arrays.")
        {
            ConfigOption, SetOption, ResumeOption, BackendOption, EmitOnlyOption,
        };
        cmd.SetAction(p => Guard(() =>
        {
            var config = p.GetValue(ConfigOption) ?? throw new UsageException("sweep needs --config");
            var loaded = ConfigLoader.Load(config, p.GetValue(SetOption) ?? []);
            var workers = Math.Max(1, loaded.Config.Search?.Workers ?? 1);
            var threadsPerWorker = Math.Max(1, Environment.ProcessorCount / workers);
            var backend = Backend(p.GetValue(BackendOption), p.GetValue(EmitOnlyOption), loaded.Config.Search?.Backend);
            var result = SweepRunner.Run(loaded, new SweepOptions
            {
                ResumeDir = p.GetValue(ResumeOption), Log = Console.WriteLine, Backend = backend, EmitOnly = p.GetValue(EmitOnlyOption),
                TrainCommand = SelfCommand(),
                WorkerCommand = (configFile, runDir) =>
                {
                    var psi = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
                    {
                        RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                    };
                    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "dotnet") == "dotnet")
                        psi.ArgumentList.Add(typeof(Cli).Assembly.Location);
                    foreach (var a in new[] { "--config", configFile, "--run-dir", runDir, "--set", $"training.threads={threadsPerWorker}" })
                        psi.ArgumentList.Add(a);
                    return psi;
                },
            });
            if (result.EmittedScript != null)
            {
                Console.WriteLine($"sweep folder: {result.Folder}\nsubmit with: sbatch {result.EmittedScript}");
                return 0;
            }
            Console.WriteLine($"sweep folder: {result.Folder}\nbest trial {result.BestTrial}: {result.Metric} = {result.BestValue:F4}\nbest config: {result.BestConfigPath}");
            return 0;
        }));
        return cmd;
    }

    private static CorpusKind ParseCorpus(string name)
    {
        var names = Enum.GetValues<CorpusKind>().ToDictionary(k => ConfigBinder.SnakeCase(k.ToString()));
        return names.TryGetValue(name, out var kind) ? kind
            : throw new UsageException($"--corpus must be one of {string.Join(", ", names.Keys)}, got '{name}'");
    }

    private static SearchBackend? Backend(string? option, bool emitOnly, SearchBackend? configured)
    {
        SearchBackend? backend = option switch
        {
            null => null,
            "local" => SearchBackend.Local,
            "slurm" => SearchBackend.Slurm,
            _ => throw new UsageException($"--backend must be local or slurm, got '{option}'"),
        };
        if (emitOnly && (backend ?? configured) != SearchBackend.Slurm)
            throw new UsageException("--emit-only writes an sbatch script: it needs --backend slurm (or search.backend: slurm)");
        return backend;
    }

    /// <summary>This program as it was started (the apphost, or dotnet and the dll): what cluster tasks run.</summary>
    private static string[] SelfCommand()
    {
        var exe = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(exe) == "dotnet" ? [exe, typeof(Cli).Assembly.Location] : [exe];
    }

    private static Command EvaluateCommand()
    {
        var runOption = new Option<string>("--run") { Description = "run folder or model package (averlab-train package) to evaluate", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "best or last", DefaultValueFactory = _ => "best" };
        var data = new Option<string?>("--data") { Description = "score the run on another corpus root instead of its test split (cross-corpus: labels mapped through the unified emotions; dropped classes counted)" };
        var corpus = new Option<string?>("--corpus") { Description = "the --data corpus: ravdess, crema_d, savee, tess, folder or manifest (default: the run's own corpus kind)" };
        var cmd = new Command("evaluate", "Evaluate a run's checkpoint on its test split (same split manifest), or on another corpus (--data), and print the metrics.") { runOption, checkpoint, data, corpus };
        cmd.SetAction(p => Guard(() =>
        {
            if (p.GetValue(checkpoint) is not ("best" or "last")) throw new UsageException($"--checkpoint must be best or last, got '{p.GetValue(checkpoint)}'");
            if (p.GetValue(corpus) != null && p.GetValue(data) == null) throw new UsageException("--corpus needs --data <corpus root>");
            if (p.GetValue(data) is { } root)
            {
                var run = p.GetValue(runOption)!;
                var kind = p.GetValue(corpus) is { } name ? ParseCorpus(name)
                    : ConfigLoader.Load(RunFolder.Open(run).ConfigYaml, checkPaths: false).Config.Data.Corpus;
                var x = CrossCorpusEvaluator.Evaluate(run, root, kind, p.GetValue(checkpoint)!);
                PrintResult(new RunResult(RunFolder.Open(run), x.Metrics, [], true));
                Console.WriteLine($"corpus:     {x.Corpus} at {x.Root}: {x.Metrics.Count} items scored, {x.Skipped.Count} unreadable skipped");
                Console.WriteLine("dropped:    " + (x.Dropped.Count == 0 ? "none (every label maps into the run's classes)"
                    : string.Join(", ", x.Dropped.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} x{d.Value}")) + " (no class of the run)"));
                Console.WriteLine("absent:     " + (x.AbsentClasses.Count == 0 ? "none" : string.Join(", ", x.AbsentClasses) + " (classes of the run this corpus never shows)"));
                if (x.CalmAsNeutral is { } cn)
                    Console.WriteLine(FormattableString.Invariant($"calm as neutral: accuracy {cn.Accuracy:0.000}") + (cn.AccuracyCi is { } ci ? FormattableString.Invariant($" [{ci.Lower:0.000}, {ci.Upper:0.000}]") : "")
                        + FormattableString.Invariant($", balanced accuracy {cn.BalancedAccuracy:0.000}, macro F1 {cn.MacroF1:0.000} (the figures above: strict, calm a class of its own)"));
                Console.WriteLine($"saved:      {x.SavedTo}");
                return 0;
            }
            var m = RunEvaluator.Evaluate(p.GetValue(runOption)!, p.GetValue(checkpoint)!);
            PrintResult(new RunResult(RunFolder.Open(p.GetValue(runOption)!), m, [], true));
            return 0;
        }));
        return cmd;
    }

    private static Command PackageCommand()
    {
        var runOption = new Option<string>("--run") { Description = "finished run folder to package", Required = true };
        var outOption = new Option<string>("--out") { Description = "the package folder, e.g. models/fer2013-face", Required = true };
        var half = new Option<bool>("--half") { Description = "store floating weights as float16 (loaded as float32); refused unless the predicted class agrees with full precision on >= 99.5 % of the run's validation items (test items without a validation split)" };
        var template = new Option<string?>("--card-template") { Description = "Markdown appended to the package's README.md model card (licence, intended use, limits)" };
        var force = new Option<bool>("--force") { Description = "replace an existing package folder" };
        var maxMb = new Option<double>("--max-mb") { Description = "refuse a package larger than this (MB)", DefaultValueFactory = _ => 25 };
        var cmd = new Command("package", "Make a model package from a finished run: model.json + weights.safetensors (best checkpoint, model weights only), metrics, config, split, plots, report and a README.md model card.")
        {
            runOption, outOption, half, template, force, maxMb,
        };
        cmd.SetAction(p => Guard(() =>
        {
            if (!(p.GetValue(maxMb) > 0)) throw new UsageException($"--max-mb must be positive, got {p.GetValue(maxMb)}");
            var r = ModelPackager.Package(p.GetValue(runOption)!, p.GetValue(outOption)!, new PackageOptions
            {
                Half = p.GetValue(half), CardTemplate = p.GetValue(template), Force = p.GetValue(force),
                MaxBytes = (long)(p.GetValue(maxMb) * 1024 * 1024), Log = Console.WriteLine,
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"package:    {r.Folder}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"size:       {r.SizeBytes} bytes ({r.SizeBytes / 1048576.0:0.00} MB)"));
            Console.WriteLine(r.Agreement is { } a
                ? string.Create(CultureInfo.InvariantCulture, $"precision:  float16; agrees with full precision on {a:P2} of {r.AgreementItems} {r.AgreementSplit} items")
                : "precision:  as trained");
            return 0;
        }));
        return cmd;
    }

    private static Command ExplainCommand()
    {
        var runOption = new Option<string>("--run") { Description = "run folder to explain", Required = true };
        var items = new Option<int>("--items") { Description = "test items explained one by one (per-item figures)", DefaultValueFactory = _ => 4 };
        var permutations = new Option<int>("--permutations") { Description = "Shapley permutations per item (vector models; antithetic pairs)", DefaultValueFactory = _ => 64 };
        var shapleyItems = new Option<int>("--shapley-items") { Description = "test items in the Shapley summary (vector models)", DefaultValueFactory = _ => 32 };
        var repeats = new Option<int>("--repeats") { Description = "shuffles per feature of the permutation importance (vector models)", DefaultValueFactory = _ => 5 };
        var igSteps = new Option<int>("--ig-steps") { Description = "integrated-gradient path points (conv/image models)", DefaultValueFactory = _ => 64 };
        var seed = new Option<int?>("--seed") { Description = "seed of the sampled choices (default: the run's seed)" };
        var checkpoint = new Option<string>("--checkpoint") { Description = "best or last", DefaultValueFactory = _ => "best" };
        var cmd = new Command("explain", "Explain a run's model on its test split: t-SNE of embeddings; Shapley values and permutation importance (vector models); Grad-CAM, occlusion and integrated gradients (conv/image models). Writes <run>/explanations/ and adds the figures to report.html.")
        {
            runOption, items, permutations, shapleyItems, repeats, igSteps, seed, checkpoint,
        };
        cmd.SetAction(p => Guard(() =>
        {
            if (p.GetValue(checkpoint) is not ("best" or "last")) throw new UsageException($"--checkpoint must be best or last, got '{p.GetValue(checkpoint)}'");
            if (p.GetValue(items) < 0) throw new UsageException($"--items must be 0 or more, got {p.GetValue(items)}");
            if (p.GetValue(permutations) < 2) throw new UsageException($"--permutations must be at least 2, got {p.GetValue(permutations)}");
            if (p.GetValue(shapleyItems) < 1) throw new UsageException($"--shapley-items must be at least 1, got {p.GetValue(shapleyItems)}");
            if (p.GetValue(repeats) < 1) throw new UsageException($"--repeats must be at least 1, got {p.GetValue(repeats)}");
            if (p.GetValue(igSteps) < 1) throw new UsageException($"--ig-steps must be at least 1, got {p.GetValue(igSteps)}");
            // Options of the other family of explanations are refused, not ignored: vector models get Shapley values and
            // permutation importance, conv/image models integrated gradients.
            var folder = RunFolder.Open(p.GetValue(runOption)!);
            if (File.Exists(folder.ModelJson))
            {
                var card = AverLab.FrontEnds.ModelCard.Load(folder.ModelJson);
                var vector = ModelRegistry.Get(card.Model).Inputs == InputKinds.Features;
                foreach (var o in vector ? new Option[] { igSteps } : new Option[] { permutations, shapleyItems, repeats })
                    if (p.GetResult(o) is { Implicit: false })
                        throw new UsageException($"{o.Name} does not apply to {card.Model} ({(vector ? "a vector model: Shapley values and permutation importance" : "not a vector model: Grad-CAM, occlusion and integrated gradients")})");
            }
            var r = RunExplainer.Explain(p.GetValue(runOption)!, new ExplainOptions
            {
                Items = p.GetValue(items), Permutations = p.GetValue(permutations), ShapleyItems = p.GetValue(shapleyItems),
                Repeats = p.GetValue(repeats), IgSteps = p.GetValue(igSteps), Seed = p.GetValue(seed), Checkpoint = p.GetValue(checkpoint)!,
            }, Console.WriteLine);
            Console.WriteLine($"{r.Figures.Count} figures; report: {RunFolder.Open(p.GetValue(runOption)!).ReportHtml}");
            return 0;
        }));
        return cmd;
    }

    private static Command CrossValidateCommand()
    {
        var protocol = new Option<string>("--protocol")
        {
            Description = "speaker: folds by speaker, none in two folds (speaker-independent); stratified: folds over clips stratified by class, every speaker on every side (the seeds' protocol); both: the two, then protocols.md side by side with the config's reference",
            DefaultValueFactory = _ => "speaker",
        };
        var resume = new Option<string?>("--resume") { Description = "continue the cv in this folder: finished folds are kept (and, with slurm, folds still queued or running are followed, not submitted again)" };
        var nested = new Option<bool>("--nested")
        {
            Description = "nested speaker cv: inner speaker folds choose among the config's nested_cv.candidates, the outer folds (data.split.folds) estimate the choice; writes nested_cv.json/.md beside the cv files (local backend, speaker protocol)",
        };
        var cmd = new Command("cv", "k-fold cross-validation: one run per fold, then the protocol table (mean ± 95% CI over folds, pooled confusion matrix); locally or as a Slurm job array.")
        {
            ConfigOption, SetOption, protocol, resume, BackendOption, EmitOnlyOption, nested,
        };
        cmd.SetAction(p => Guard(() =>
        {
            var config = p.GetValue(ConfigOption) ?? throw new UsageException("cv needs --config");
            if (p.GetValue(nested))
            {
                if (p.GetValue(protocol) != "speaker") throw new UsageException("--nested draws its folds by speaker: leave out --protocol (or give speaker)");
                if (p.GetValue(EmitOnlyOption) || p.GetValue(BackendOption) is { } b && b != "local")
                    throw new UsageException("--nested runs locally: --backend slurm and --emit-only do not apply");
                var nestedDir = p.GetValue(resume);
                if (nestedDir != null && !Directory.Exists(nestedDir)) throw new UsageException($"--resume {nestedDir}: no such nested cv folder");
                var loadedNested = ConfigLoader.Load(config, [.. p.GetValue(SetOption) ?? [], CrossValidation.SplitSetting(CrossValidation.Protocol.Speaker)]);
                var result = NestedCrossValidation.Run(loadedNested, new CrossValidationOptions { Log = Console.WriteLine, ResumeDir = nestedDir });
                Console.WriteLine(result.ToString());
                Console.WriteLine($"nested cv: {Path.Combine(result.Folder, RunLayout.NestedCvMarkdown)}");
                return 0;
            }
            CrossValidation.Protocol[] which = p.GetValue(protocol) switch
            {
                "speaker" => [CrossValidation.Protocol.Speaker],
                "stratified" => [CrossValidation.Protocol.Stratified],
                "both" => [CrossValidation.Protocol.Stratified, CrossValidation.Protocol.Speaker],
                var other => throw new UsageException($"--protocol must be speaker, stratified or both, got '{other}'"),
            };
            var resumeDir = p.GetValue(resume);
            var emitOnly = p.GetValue(EmitOnlyOption);
            if (which.Length > 1 && (resumeDir != null || emitOnly))
                throw new UsageException("--protocol both runs two cvs: --resume and --emit-only take one (--protocol speaker or stratified)");
            if (resumeDir != null && !Directory.Exists(resumeDir)) throw new UsageException($"--resume {resumeDir}: no such cv folder");
            var summaries = new List<CrossValidation.Summary>();
            foreach (var w in which)
            {
                var loaded = ConfigLoader.Load(config, [.. p.GetValue(SetOption) ?? [], CrossValidation.SplitSetting(w)]);
                var summary = CrossValidation.Run(loaded, new CrossValidationOptions
                {
                    Log = Console.WriteLine, ResumeDir = resumeDir, TrainCommand = SelfCommand(), EmitOnly = emitOnly, Protocol = w,
                    Backend = Backend(p.GetValue(BackendOption), emitOnly, loaded.Config.Search?.Backend),
                });
                if (emitOnly)
                {
                    Console.WriteLine($"cv folder: {summary.Folder}\nsubmit with: sbatch {Path.Combine(summary.Folder, "slurm", "cv.sbatch")}");
                    return 0;
                }
                Console.WriteLine(summary.ToString());
                summaries.Add(summary);
            }
            if (summaries.Count > 1)
            {
                var dir = Path.GetDirectoryName(summaries[^1].Folder)!;
                var stamp = Path.GetFileName(summaries[^1].Folder).Replace("cv-", "protocols-", StringComparison.Ordinal);
                var reference = ConfigLoader.Load(config, p.GetValue(SetOption) ?? []).Config.Reference;
                Console.WriteLine(CrossValidation.WriteProtocols(Path.Combine(dir, stamp), summaries, reference));
                Console.WriteLine($"protocol table: {Path.Combine(dir, stamp, "protocols.md")}");
            }
            return 0;
        }));
        return cmd;
    }

    private static Command CompareCommand()
    {
        var runs = new Argument<string[]>("runs") { Description = "run folders (or experiment folders: every run inside)" };
        var cmd = new Command("compare", "Tabulate runs side by side (config, metrics).") { runs };
        cmd.SetAction(p => Guard(() =>
        {
            var rows = RunComparison.Collect(p.GetValue(runs) ?? []);
            var table = new Table().AddColumns("run", "model", "epochs", "test acc", "macro F1", "balanced acc", "seed");
            foreach (var r in rows) table.AddRow(Markup.Escape(r.Run), r.Model, r.Epochs, r.Accuracy, r.MacroF1, r.BalancedAccuracy, r.Seed);
            AnsiConsole.Write(table);
            return 0;
        }));
        return cmd;
    }

    private static Command ConfigReferenceCommand()
    {
        var cmd = new Command("config-reference", "Print every config key (type, default, meaning) as Markdown: the source of configs/README.md.");
        cmd.SetAction(_ =>
        {
            Console.Out.Write(ConfigReference.Markdown());
            return 0;
        });
        return cmd;
    }

    private static Command ModelsCommand()
    {
        var cmd = new Command("models", "List the registered models with their model.params and defaults (configs/README.md explains each).");
        cmd.SetAction(_ =>
        {
            var table = new Table().AddColumns("name", "kind", "inputs", "description", "model.params (default)");
            foreach (var s in ModelRegistry.All)
            {
                var defaults = AverLab.FrontEnds.ModelCard.ToJson(Activator.CreateInstance(s.OptionsType)!);
                var options = string.Join(", ", defaults.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString() ?? "null"}"));
                table.AddRow(s.Name, s.IsClassical ? "classical (ML.NET)" : "neural (TorchSharp)", s.Inputs.ToString(), Markup.Escape(s.Description), Markup.Escape(options));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
