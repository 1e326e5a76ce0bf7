using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AverLab.IO;
using AverLab.Runs;
using AverLab.Training.Configuration;
using YamlDotNet.RepresentationModel;

namespace AverLab.Training.Experiments;

/// <summary>Nested speaker cross-validation (`cv --nested`, config section nested_cv). The outer folds are the config's
/// speaker folds (data.split.folds). Inside outer fold f, the outer test speakers are left out of the corpus
/// (data.split.exclude_speakers) and the rest is split again into nested_cv.inner_folds speaker folds; every candidate
/// trains on each inner fold and is scored on its inner test speakers. The candidate with the best mean inner metric
/// (ties: the earlier one) then trains as outer fold f and is tested on the outer speakers, which no choice saw. The
/// outer folds' test metrics are the estimate of the whole procedure, selection included. Every training is a normal
/// run folder (its config.yaml reproduces it alone); the folder gets the outer estimate as a cv folder (cv.json, cv.md,
/// the pooled confusion matrix) plus nested_cv.json and nested_cv.md (each outer fold's choice and the inner scores),
/// each written atomically. Runs that finished before (a metrics.json) are kept, so --resume continues a killed one.</summary>
public static partial class NestedCrossValidation
{
    /// <summary>One candidate's inner-fold metrics (the selection metric) inside one outer fold.</summary>
    public sealed record CandidateScores(int Candidate, IReadOnlyList<double> Scores)
    {
        public double Mean => Scores.Average();
    }

    /// <summary>An outer fold: its test speakers, every candidate's inner scores, the choice, and the chosen
    /// candidate's test result on the outer speakers.</summary>
    public sealed record OuterFold(int Fold, IReadOnlyList<string> TestSpeakers, IReadOnlyList<CandidateScores> Inner, int Chosen,
        CrossValidation.FoldResult Test);

    public sealed record Result(string Folder, NestedCvConfig Settings, int OuterFolds, long Seed,
        IReadOnlyList<IReadOnlyDictionary<string, string>> Candidates, IReadOnlyList<OuterFold> Outer, CrossValidation.Summary Estimate)
    {
        public override string ToString()
        {
            var chosen = string.Join(", ", Outer.Select(o => $"fold {o.Fold}: c{o.Chosen}"));
            return string.Create(CultureInfo.InvariantCulture,
                $"nested {OuterFolds}x{Settings.InnerFolds}-fold speaker CV over {Candidates.Count} candidates (chosen by inner {ConfigBinder.SnakeCase(Settings.Metric.ToString())}; {chosen}): accuracy {Estimate.Accuracy}, balanced accuracy {Estimate.BalancedAccuracy}, macro F1 {Estimate.MacroF1} ({Folder})");
        }
    }

    /// <summary>Runs the nested cv of <paramref name="loaded"/> (its split protocol must be speaker_kfold: the CLI sets
    /// it). Options: Log, ResumeDir; the backend is local (the CLI refuses the others).</summary>
    public static Result Run(ConfigLoader.Loaded loaded, CrossValidationOptions options)
    {
        var config = loaded.Config;
        var log = options.Log;
        var nested = config.NestedCv ?? throw loaded.Error("nested_cv", "cv --nested needs a nested_cv section (inner_folds, metric, candidates: at least 2); see configs/README.md");
        if (config.Data.Split.Protocol != SplitProtocol.SpeakerKfold)
            throw loaded.Error("data.split.protocol", "nested cv draws its outer folds by speaker: protocol must be speaker_kfold");
        if (config.Data.Split.ExcludeSpeakers.Count > 0)
            throw loaded.Error("data.split.exclude_speakers", "nested cv sets exclude_speakers itself (the outer test speakers); leave it empty");
        var outerFolds = config.Data.Split.Folds;
        var candidates = nested.Candidates
            .Select(c => (IReadOnlyDictionary<string, string>)c.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => FlowText(kv.Value), StringComparer.Ordinal))
            .ToList();
        var text = loaded.ResolvedYaml();

        // Every configuration a run will train, checked before the first training: a candidate value the config
        // refuses is an error at its candidate, not a failure an hour in.
        ConfigLoader.Loaded With(int candidate, IEnumerable<string> sets)
        {
            var overrides = candidates[candidate].Select(kv => $"{kv.Key}={kv.Value}").Concat(sets).ToList();
            try
            {
                return ConfigLoader.FromText(text, loaded.File, overrides);
            }
            catch (ConfigException e)
            {
                throw loaded.Error($"nested_cv.candidates[{candidate}]", $"{e.KeyPath}: {e.Problem}", e);
            }
        }
        for (var c = 0; c < candidates.Count; c++) With(c, []);
        if (config.Data.Split.ValFraction > 0 && nested.InnerFolds < 3)
            throw loaded.Error("nested_cv.inner_folds", $"{nested.InnerFolds} inner folds leave none to validate on (val_fraction {config.Data.Split.ValFraction.ToString(CultureInfo.InvariantCulture)}: one fold validates, one tests): use at least 3, or val_fraction: 0");

        // Each outer fold's test speakers, and the inner split drawn from the others (enough speakers for the inner folds?).
        var outerSpeakers = new List<List<string>>();
        for (var f = 0; f < outerFolds; f++)
        {
            var plan = loaded.At(() => ExperimentData.ReadAndSplit(config, f));
            var speakerOf = plan.Mapping.Items.ToDictionary(i => i.Item.Id, i => i.Item.Speaker!, StringComparer.Ordinal);
            var test = plan.Split.Test.Select(id => speakerOf[id]).Distinct().Order(StringComparer.Ordinal).ToList();
            outerSpeakers.Add(test);
            var inner = With(0, [Exclude(test), $"data.split.folds={nested.InnerFolds}", "data.split.fold=0"]);
            try
            {
                inner.At(() => ExperimentData.ReadAndSplit(inner.Config, 0));
            }
            catch (ArgumentException e)
            {
                throw loaded.Error("nested_cv.inner_folds", $"outer fold {f} (test speakers {string.Join(", ", test)}): the other speakers cannot make {nested.InnerFolds} inner folds ({e.Message})", e);
            }
        }

        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var folder = options.ResumeDir ?? Path.Combine(config.Output.Root, config.Name, $"nested-cv-{stamp}");
        Directory.CreateDirectory(folder);
        log?.Invoke($"nested cv: {outerFolds} outer x {nested.InnerFolds} inner speaker folds, {candidates.Count} candidates, {outerFolds * (nested.InnerFolds * candidates.Count + 1)} trainings; folder {folder}");

        var outer = new List<OuterFold>();
        for (var f = 0; f < outerFolds; f++)
        {
            var testSpeakers = outerSpeakers[f];
            var exclude = Exclude(testSpeakers);
            var outerDir = Path.Combine(folder, $"outer-{f}");
            var inner = new List<CandidateScores>();
            for (var c = 0; c < candidates.Count; c++)
            {
                var scores = new List<double>();
                for (var j = 0; j < nested.InnerFolds; j++)
                {
                    var cfg = With(c, [exclude, $"data.split.folds={nested.InnerFolds}", $"data.split.fold={j}"]);
                    var r = RunOrKeep(cfg, j, Path.Combine(outerDir, $"candidate-{c}", $"inner-{j}"), log, $"outer {f + 1}/{outerFolds}, candidate {c}, inner {j + 1}/{nested.InnerFolds}");
                    scores.Add(Score(r, nested.Metric));
                }
                inner.Add(new CandidateScores(c, scores));
                log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"outer {f + 1}: candidate {c} inner {ConfigBinder.SnakeCase(nested.Metric.ToString())} {inner[^1].Mean:F4}"));
            }
            // The first candidate with the best mean: ties keep the earlier (declared) one, so the choice is deterministic.
            var chosen = inner.Aggregate((best, x) => x.Mean > best.Mean ? x : best).Candidate;
            var test = RunOrKeep(With(chosen, [$"data.split.fold={f}"]), f, Path.Combine(outerDir, "final"), log, $"outer {f + 1}/{outerFolds}, chosen candidate {chosen}");
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"outer {f + 1}: chose candidate {chosen}; test accuracy {test.Accuracy:F4}, balanced {test.BalancedAccuracy:F4}"));
            outer.Add(new OuterFold(f, testSpeakers, inner, chosen, test));
        }
        var labels = outer.Select(o => o.Test.Labels).FirstOrDefault(l => l.Length > 0) ?? [];
        var summary = new CrossValidation.Summary(folder, CrossValidation.Protocol.Speaker, labels, outer.Select(o => o.Test).ToList(), config.Reference);
        CrossValidation.Write(summary);
        var result = new Result(folder, nested, outerFolds, config.Seed, candidates, outer, summary);
        Write(result);
        return result;
    }

    private static string Exclude(IEnumerable<string> speakers) => "data.split.exclude_speakers=[" + string.Join(", ", speakers.Select(Quote)) + "]";

    private static CrossValidation.FoldResult RunOrKeep(ConfigLoader.Loaded cfg, int fold, string runDir, Action<string>? log, string what)
    {
        if (FoldDispatch.Finished(fold, runDir) is { } kept)
        {
            log?.Invoke($"{what}: finished before, kept");
            return kept;
        }
        log?.Invoke(what);
        var r = ExperimentRunner.Run(cfg, new RunOptions { RunDir = runDir });
        // Read back from metrics.json, as a resumed nested cv reads the runs it keeps: the same figures either way
        // (the file's numbers are rounded in their last digits).
        return FoldDispatch.Finished(fold, runDir) ?? new CrossValidation.FoldResult(fold, r.Folder.Path, r.Test.Accuracy, r.Test.MacroF1, r.Test.BalancedAccuracy, r.Test.Confusion) { Labels = r.Test.Labels };
    }

    private static double Score(CrossValidation.FoldResult r, SelectionMetric metric) => metric switch
    {
        SelectionMetric.Accuracy => r.Accuracy,
        SelectionMetric.BalancedAccuracy => r.BalancedAccuracy,
        SelectionMetric.MacroF1 => r.MacroF1,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>nested_cv.json and nested_cv.md, each atomically.</summary>
    public static void Write(Result r)
    {
        var metric = ConfigBinder.SnakeCase(r.Settings.Metric.ToString());
        var pooled = r.Estimate.Pooled;
        var json = new JsonObject
        {
            ["protocol"] = "nested speaker k-fold",
            ["seed"] = r.Seed,
            ["outer_folds"] = r.OuterFolds,
            ["inner_folds"] = r.Settings.InnerFolds,
            ["metric"] = metric,
            ["candidates"] = new JsonArray(r.Candidates.Select((c, i) => (JsonNode)new JsonObject
            {
                ["candidate"] = i,
                ["settings"] = new JsonObject(c.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["chosen_in_folds"] = r.Outer.Count(o => o.Chosen == i),
            }).ToArray()),
            ["outer"] = new JsonArray(r.Outer.Select(o => (JsonNode)new JsonObject
            {
                ["fold"] = o.Fold,
                ["test_speakers"] = new JsonArray(o.TestSpeakers.Select(s => (JsonNode)s).ToArray()),
                ["inner"] = new JsonArray(o.Inner.Select(c => (JsonNode)new JsonObject
                {
                    ["candidate"] = c.Candidate,
                    ["scores"] = new JsonArray(c.Scores.Select(s => (JsonNode)s).ToArray()),
                    ["mean"] = c.Mean,
                }).ToArray()),
                ["chosen"] = o.Chosen,
                ["run"] = o.Test.Run,
                ["accuracy"] = o.Test.Accuracy,
                ["balanced_accuracy"] = o.Test.BalancedAccuracy,
                ["macro_f1"] = o.Test.MacroF1,
            }).ToArray()),
            ["estimate"] = new JsonObject
            {
                ["accuracy"] = r.Estimate.Accuracy.ToJson(),
                ["balanced_accuracy"] = r.Estimate.BalancedAccuracy.ToJson(),
                ["macro_f1"] = r.Estimate.MacroF1.ToJson(),
                ["pooled"] = new JsonObject
                {
                    ["items"] = pooled.Count,
                    ["accuracy"] = pooled.Accuracy,
                    ["accuracy_ci95"] = pooled.AccuracyCi is { } a ? new JsonArray(a.Lower, a.Upper) : null,
                    ["balanced_accuracy"] = pooled.BalancedAccuracy,
                    ["macro_f1"] = pooled.MacroF1,
                },
            },
        };
        AtomicFile.WriteAllText(Path.Combine(r.Folder, RunLayout.NestedCvJson), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        AtomicFile.WriteAllText(Path.Combine(r.Folder, RunLayout.NestedCvMarkdown), Markdown(r));
    }

    /// <summary>The estimate, the candidates, and per outer fold the inner means and the choice, as Markdown.</summary>
    public static string Markdown(Result r)
    {
        var inv = CultureInfo.InvariantCulture;
        var metric = ConfigBinder.SnakeCase(r.Settings.Metric.ToString());
        var sb = new StringBuilder();
        sb.Append(inv, $"# Nested speaker cross-validation: {r.OuterFolds} outer x {r.Settings.InnerFolds} inner folds, seed {r.Seed}\n\n");
        sb.Append(inv, $"Estimate over the outer folds (mean, sd, 95% t-interval): accuracy {r.Estimate.Accuracy}; balanced accuracy {r.Estimate.BalancedAccuracy}; macro F1 {r.Estimate.MacroF1}. ");
        sb.Append(inv, $"Pooled over {r.Estimate.Pooled.Count} items: accuracy {r.Estimate.Pooled.Accuracy:F4} (95% CI {r.Estimate.Pooled.AccuracyCi?.Lower:F4}–{r.Estimate.Pooled.AccuracyCi?.Upper:F4}), balanced {r.Estimate.Pooled.BalancedAccuracy:F4}.\n\n");
        sb.Append("| candidate | settings | chosen in folds |\n|---|---|---|\n");
        for (var i = 0; i < r.Candidates.Count; i++)
        {
            var settings = r.Candidates[i].Count == 0 ? "(the config as it is)" : string.Join(", ", r.Candidates[i].Select(kv => $"`{kv.Key}={kv.Value}`"));
            sb.Append(inv, $"| c{i} | {settings} | {r.Outer.Count(o => o.Chosen == i)} |\n");
        }
        sb.Append(inv, $"\n| outer fold | test speakers | {string.Join(" | ", r.Candidates.Select((_, i) => $"c{i} inner {metric}"))} | chosen | test accuracy | test balanced accuracy | test macro F1 |\n");
        sb.Append("|---|---|").Append(string.Concat(Enumerable.Repeat("---|", r.Candidates.Count))).Append("---|---|---|---|\n");
        foreach (var o in r.Outer)
            sb.Append(inv, $"| {o.Fold} | {string.Join(", ", o.TestSpeakers)} | {string.Join(" | ", o.Inner.Select(c => c.Mean.ToString("F4", inv)))} | c{o.Chosen} | {o.Test.Accuracy:F4} | {o.Test.BalancedAccuracy:F4} | {o.Test.MacroF1:F4} |\n");
        return sb.ToString();
    }

    /// <summary>A YAML node as one line of flow YAML, as `--set key=value` reads it back.</summary>
    internal static string FlowText(YamlNode node) => node switch
    {
        YamlScalarNode s => Quote(s.Value ?? ""),
        YamlSequenceNode seq => "[" + string.Join(", ", seq.Children.Select(FlowText)) + "]",
        YamlMappingNode map => "{" + string.Join(", ", map.Children.Select(kv => $"{FlowText(kv.Key)}: {FlowText(kv.Value)}")) + "}",
        _ => throw new ArgumentException($"unsupported YAML node {node.NodeType}", nameof(node)),
    };

    /// <summary>A scalar as plain YAML when it reads back as the same text, else single-quoted.</summary>
    private static string Quote(string value) =>
        PlainScalar().IsMatch(value) ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")]
    private static partial Regex PlainScalar();
}
