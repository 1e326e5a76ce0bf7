using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.Data.Features;
using AverLab.FrontEnds;
using AverLab.IO;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Training.Loop;
using static TorchSharp.torch;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>Settings of `averlab-train package`.</summary>
public sealed record PackageOptions
{
    /// <summary>Store floating tensors as float16 (loaded back as float32), after checking the predictions agree.</summary>
    public bool Half { get; init; }
    /// <summary>A Markdown file whose text ends the package's README.md (licence, intended use, limits).</summary>
    public string? CardTemplate { get; init; }
    /// <summary>Replace an existing package folder.</summary>
    public bool Force { get; init; }
    /// <summary>A package above this many bytes is refused (shipped packages are committed to git).</summary>
    public long MaxBytes { get; init; } = 25L * 1024 * 1024;
    public Action<string>? Log { get; init; }
}

/// <summary>What <see cref="ModelPackager.Package"/> wrote.</summary>
public sealed record PackageResult(string Folder, long SizeBytes, bool Half, double? Agreement, int AgreementItems, string? AgreementSplit);

/// <summary>Makes a model package from a finished run: a self-contained inference folder (model.json pointing at
/// weights.safetensors, the model's weights only, the run's records and a README.md model card) that
/// Predictor.Load, `evaluate` and the default-model lookup of predict and the web app read. Built in a hidden temp
/// folder beside the target and renamed into place, so a failure never leaves half a package.</summary>
public static class ModelPackager
{
    public const string Weights = RunLayout.PackageWeights;
    /// <summary>Half precision ships only when its predicted classes equal full precision's on this share of the run's
    /// validation items (test items when there is no validation split).</summary>
    public const double MinAgreement = 0.995;

    private static readonly string[] CopiedFiles = [RunLayout.MetricsJson, RunLayout.ConfigYaml, RunLayout.RunJson, RunLayout.SplitJson, RunLayout.ReportHtml];

    public static PackageResult Package(string runDir, string outDir, PackageOptions options)
    {
        var folder = RunFolder.Open(runDir);
        if (!File.Exists(folder.MetricsJson))
            throw new InvalidOperationException($"{runDir}: not a finished run (no {RunLayout.MetricsJson}): finish it (--resume) before packaging");
        if (!File.Exists(folder.ModelJson)) throw new InvalidOperationException($"{runDir}: no {RunLayout.ModelJson}; not a run this version can package");
        if (folder.IsPackage)
            throw new InvalidOperationException($"{runDir}: already a model package; package the run it came from");
        var card = ModelCard.Load(folder.ModelJson);
        var spec = ModelRegistry.Get(card.Model);
        var source = spec.IsClassical ? Path.Combine(folder.Path, card.Checkpoint) : folder.BestCheckpoint;
        if (!File.Exists(source))
            throw new InvalidOperationException($"{runDir}: no best checkpoint ({Path.GetRelativePath(folder.Path, source)} is missing): the run did not finish an epoch that improved its monitor");
        if (options.Half && spec.IsClassical)
            throw new ArgumentException($"--half: {card.Model} is a classical run (an ML.NET model zip, no tensors to halve)");
        if (options.CardTemplate is { } template && !File.Exists(template))
            throw new FileNotFoundException($"--card-template {template}: no such file", template);

        var target = Path.GetFullPath(outDir);
        var name = Path.GetFileName(target.TrimEnd(Path.DirectorySeparatorChar));
        if (string.IsNullOrEmpty(name)) throw new ArgumentException($"--out {outDir}: name the package folder (models/<name>)");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !options.Force)
            throw new IOException($"--out {outDir}: the folder exists and is not empty; --force replaces it");
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{name}.{Environment.ProcessId}.tmp");
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        try
        {
            double? agreement = null;
            var agreementItems = 0;
            string? agreementSplit = null;
            string weightsName;
            if (spec.IsClassical)
            {
                weightsName = Path.GetFileName(source);
                AtomicFile.WriteAllBytes(Path.Combine(temp, weightsName), File.ReadAllBytes(source));
            }
            else
            {
                weightsName = Weights;
                var weights = Path.Combine(temp, Weights);
                WriteWeights(source, weights, options.Half, folder.Path);
                // The shipped file must load into the card's model (keys, shapes; half casts back to float32).
                using (var check = card.CreateModel()) ModelFile.LoadInto(check, weights, $"{folder.ModelJson} ({card.Model})");
                if (options.Half)
                {
                    (agreement, agreementItems, agreementSplit) = Agreement(folder, card, source, weights, options.Log);
                    options.Log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                        $"half precision: the predicted class equals full precision's on {agreement:P2} of {agreementItems} {agreementSplit} items"));
                    if (agreement < MinAgreement)
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                            $"--half: the float16 weights of {runDir} predict the class full precision predicts on {agreement:P2} of {agreementItems} {agreementSplit} items, below {MinAgreement:P1}; package it without --half"));
                }
            }
            (card with { Checkpoint = weightsName }).Save(Path.Combine(temp, RunLayout.ModelJson));
            foreach (var file in CopiedFiles)
                if (File.Exists(Path.Combine(folder.Path, file)))
                    AtomicFile.WriteAllBytes(Path.Combine(temp, file), File.ReadAllBytes(Path.Combine(folder.Path, file)));
            if (Directory.Exists(folder.PlotsDir))
            {
                var plots = Path.Combine(temp, Path.GetFileName(folder.PlotsDir));
                Directory.CreateDirectory(plots);
                foreach (var f in Directory.EnumerateFiles(folder.PlotsDir).Where(f => !Path.GetFileName(f).StartsWith('.')))
                    AtomicFile.WriteAllBytes(Path.Combine(plots, Path.GetFileName(f)), File.ReadAllBytes(f));
            }
            var run = TryRead(folder.ReadRun);
            AtomicFile.WriteAllText(Path.Combine(temp, RunLayout.PackageReadme), ModelCardMarkdown(name, folder, card, run, options, agreement, agreementItems, agreementSplit));
            var size = Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            if (size > options.MaxBytes)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{runDir}: the package would be {size / 1048576.0:0.0} MB, above the {options.MaxBytes / 1048576.0:0.#} MB limit{(options.Half || spec.IsClassical ? "" : " (--half stores the weights in half the space)")}"));
            var package = new JsonObject
            {
                ["name"] = name,
                ["source_run"] = folder.Path,
                ["git_commit"] = run?.GitCommit,
                ["git_dirty"] = run?.GitDirty,
                ["packaged_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                ["model"] = card.Model,
                ["corpus"] = card.Corpus,
                ["weights"] = weightsName,
                ["weights_sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(temp, weightsName)))),
                ["half"] = options.Half,
                ["agreement"] = agreement is { } a ? new JsonObject
                {
                    ["split"] = agreementSplit, ["items"] = agreementItems, ["fraction"] = Math.Round(a, 6), ["required"] = MinAgreement,
                } : null,
                ["size_bytes"] = size,
                ["size_note"] = $"every file of the package except {RunLayout.PackageJson}",
            };
            AtomicFile.WriteAllText(Path.Combine(temp, RunLayout.PackageJson), package.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Replace(temp, target);
            return new PackageResult(target, size, options.Half, agreement, agreementItems, agreementSplit);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>The model's tensors of the best checkpoint (no optimizer state), floating ones as float16 when
    /// <paramref name="half"/>.</summary>
    private static void WriteWeights(string source, string path, bool half, string runPath)
    {
        var state = ModelFile.LoadState(source);
        try
        {
            if (half)
                foreach (var key in state.Keys.ToList())
                    if (state[key].dtype is ScalarType.Float32 or ScalarType.Float64)
                    {
                        var h = state[key].to(ScalarType.Float16);
                        state[key].Dispose();
                        state[key] = h;
                    }
            TensorFile.Save(path, state, new Dictionary<string, string>
            {
                ["source_run"] = Path.GetFileName(runPath), ["dtype"] = half ? "float16" : "as trained",
            });
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    /// <summary>The share of the run's validation items (test items without a validation split) on which the half
    /// weights predict the class the full ones predict.</summary>
    private static (double fraction, int items, string split) Agreement(RunFolder folder, ModelCard card, string full, string half, Action<string>? log)
    {
        var config = ConfigLoader.Load(folder.ConfigYaml, checkPaths: false).Config;
        log?.Invoke($"reading the run's data ({config.Data.Root}) to compare float16 with full precision");
        var data = ExperimentRunner.ReloadData(folder, config);
        var (set, split) = data.Validation is { Count: > 0 } v ? (v, "validation") : (data.Test, "test");
        if (set.Count == 0) throw new InvalidOperationException($"{folder.Path}: neither a validation nor a test item to check --half on");
        var spec = ModelRegistry.Get(card.Model);
        int[] Predict(string weights)
        {
            using var model = card.CreateModel();
            ModelFile.LoadInto(model, weights);
            var loader = new AverLab.Data.Loading.DataLoader(set, new AverLab.Data.Loading.DataLoaderOptions { BatchSize = config.Training.BatchSize, Shuffle = false },
                AverLab.Data.Loading.SplitRole.Validation);
            return Evaluation.Predict(model, b => model.call(ModelInputMapping.ToInputs(spec, b)), loader).Predictions;
        }
        var a = Predict(full);
        var b = Predict(half);
        var same = a.Zip(b).Count(p => p.First == p.Second);
        return ((double)same / a.Length, a.Length, split);
    }

    /// <summary>Moves the finished temp folder into place; an existing package is swapped out first and removed after.</summary>
    private static void Replace(string temp, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(temp, target);
            return;
        }
        var old = Path.Combine(Path.GetDirectoryName(temp)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.old.tmp");
        Directory.Move(target, old);
        Directory.Move(temp, target);
        Directory.Delete(old, recursive: true);
    }

    private static JsonNode? TryJson(string path)
    {
        try { return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null; }
        catch (JsonException) { return null; }
    }

    private static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private static string WithCi(double? value, double?[]? ci) =>
        F(value) + (ci is { Length: 2 } ? $" [{F(ci[0])}, {F(ci[1])}]" : "");

    private static double? Num(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    /// <summary>A record of the run folder, or null when the file is missing or damaged: the card says less, but a
    /// package still ships.</summary>
    private static T? TryRead<T>(Func<T?> read) where T : class
    {
        try { return read(); }
        catch (InvalidDataException) { return null; }
    }

    /// <summary>README.md of the package: what the model is, what it was trained and tested on, its test figures with
    /// 95 % CIs and per class, how long training took, then the card template's text.</summary>
    internal static string ModelCardMarkdown(string name, RunFolder folder, ModelCard card, RunRecord? run, PackageOptions options,
        double? agreement, int agreementItems, string? agreementSplit)
    {
        var metrics = TryRead(folder.ReadMetrics);
        var test = metrics?.Test;
        var split = TryJson(folder.SplitJson);
        var spec = ModelRegistry.Get(card.Model);
        ExperimentConfig? config = null;
        try { config = ConfigLoader.Load(folder.ConfigYaml, checkPaths: false).Config; }
        catch (ConfigException) { /* the card says less, but a package still ships */ }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# {name}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{spec.Description}. Made with `averlab-train package` from the run `{Path.GetFileName(folder.Path)}`");
        sb.Append(run is { } r ? $" (commit {r.GitCommit}{(r.GitDirty == true ? ", dirty" : "")})" : "").Append(".\n\n");
        sb.Append("## Model\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"- model: `{card.Model}` ({card.Inputs} input), options `{card.Options.ToJsonString()}`\n");
        sb.Append(CultureInfo.InvariantCulture, $"- input: features.kind `{card.Features.Kind.ToString().ToLowerInvariant()}`");
        sb.Append(card.Features.Kind == FeatureKind.Pixels ? " — 48x48 grayscale faces in [0, 1], as FER2013's rows; predict crops each detected face (Haar, square, 10 % margin) to that form\n" : "\n");
        sb.Append(CultureInfo.InvariantCulture, $"- classes (output order): {string.Join(", ", card.Classes)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- weights: `{(spec.IsClassical ? Path.GetFileName(card.Checkpoint) : Weights)}`, {(options.Half ? "float16 (loaded as float32)" : "as trained (float32)")}; best checkpoint only, no optimizer state\n");
        if (agreement is { } a)
            sb.Append(CultureInfo.InvariantCulture, $"- float16 check: the predicted class equals full precision's on {a:P2} of {agreementItems} {agreementSplit} items (required {MinAgreement:P1})\n");
        sb.Append("\n## Data and protocol\n\n");
        if (config != null)
            sb.Append(CultureInfo.InvariantCulture, $"- corpus: {config.Data.Corpus.ToString().ToLowerInvariant()} (`{config.Data.Root}`), modality {config.Data.Modality.ToString().ToLowerInvariant()}, labels {config.Data.Labels.ToString().ToLowerInvariant()}\n");
        else sb.Append(CultureInfo.InvariantCulture, $"- corpus: {card.Corpus}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- split: {split?["protocol"]?.ToString() ?? "?"}");
        if (split?["speaker_independent"] is { } si) sb.Append(CultureInfo.InvariantCulture, $" (speaker independent: {si})");
        if (run?.TrainItems is { } tr) sb.Append(CultureInfo.InvariantCulture, $"; train {tr}, validation {run.ValidationItems}, test {run.TestItems} items");
        sb.Append("\n- seed: ").Append(card.Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("\n## Test metrics\n\n| metric | value [95% CI] |\n|---|---|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| accuracy | {WithCi(test?.Accuracy, test?.AccuracyCi95)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| macro F1 | {WithCi(test?.MacroF1, test?.MacroF1Ci95)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| balanced accuracy | {F(test?.BalancedAccuracy)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| weighted F1 | {F(test?.WeightedF1)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| ROC AUC (macro, one-vs-rest) | {F(test?.RocAucMacroOvr)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| expected calibration error | {F(test?.Ece)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| test items | {test?.Count.ToString(CultureInfo.InvariantCulture) ?? "-"} |\n");
        sb.Append("\nIntervals: the run's bootstrap over its test items; none shown when the run recorded none.\n");
        if (test?.PerClass is { } perClass)
        {
            sb.Append("\n### Per class\n\n| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
            foreach (var (cls, v) in perClass)
                sb.Append(CultureInfo.InvariantCulture, $"| {cls} | {F(v.Precision)} | {F(v.Recall)} | {F(v.F1)} | {v.Support} |\n");
        }
        sb.Append("\n## Training\n\n");
        var history = ReadHistory(folder.HistoryJsonl);
        var seconds = history.Sum(h => h.seconds);
        sb.Append(CultureInfo.InvariantCulture, $"- epochs: {metrics?.Epochs.ToString(CultureInfo.InvariantCulture) ?? history.Count.ToString(CultureInfo.InvariantCulture)}");
        if (metrics?.BestEpoch is { } be) sb.Append(CultureInfo.InvariantCulture, $"; best epoch {be} (validation accuracy {F(metrics.BestValAcc)})");
        if (metrics?.StoppedEarly is { } stop) sb.Append(CultureInfo.InvariantCulture, $"; stopped early: {stop}");
        sb.Append('\n');
        sb.Append(history.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"- training wall time: {TimeSpan.FromSeconds(seconds):hh\\:mm\\:ss} over {history.Count} epochs (history.jsonl)\n")
            : "- training wall time: not recorded (no history.jsonl)\n");
        if (run != null)
            sb.Append(CultureInfo.InvariantCulture, $"- device {card.Device}, threads {run.Threads}, libtorch {run.LibTorch}, .NET {run.DotNet}, started {run.StartedUtc}\n");
        sb.Append("\n## Files\n\n`model.json` (card; its checkpoint is the weights file), the weights, `metrics.json`, `config.yaml`, `run.json`, `split.json`, `plots/`, `report.html`, `package.json` (source run, commit, date, precision, size).\n");
        sb.Append("Use: `averlab-predict <file> --model <this folder>`, or install it (models/ or $AVERLAB_MODELS) and leave out --model.\n");
        if (options.CardTemplate is { } template)
            sb.Append('\n').Append(File.ReadAllText(template).TrimEnd()).Append('\n');
        return sb.ToString();
    }

    private static List<(int epoch, double seconds)> ReadHistory(string path)
    {
        var rows = new List<(int, double)>();
        if (!File.Exists(path)) return rows;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var n = JsonNode.Parse(line);
                rows.Add((n?["epoch"]?.GetValue<int>() ?? 0, Num(n?["seconds"]) ?? 0));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // A damaged line costs the card its time, not the package.
            }
        }
        return rows;
    }
}
