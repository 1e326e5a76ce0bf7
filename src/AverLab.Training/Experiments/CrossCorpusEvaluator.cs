using System.Globalization;
using System.Text.Json.Nodes;
using AverLab.Data.Corpora;
using AverLab.Data.Features;
using AverLab.Data.Labels;
using AverLab.Data.Loading;
using AverLab.FrontEnds;
using AverLab.IO;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Training.Loop;
using AverLab.Training.Metrics;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>Scores a trained run on another corpus (`evaluate --run R --data ROOT --corpus tess`): the corpus's items
/// are mapped into the run's classes through the unified emotions (TESS "ps" → surprised → the run's "surprised";
/// a five-class run's "sad/fear" takes sad and fearful), items whose emotion the run has no class for are dropped
/// and counted per label, and the run's classes the corpus never shows are listed. Features go through the run's own
/// front end, per-speaker statistics (speaker_norm runs) from each of the new corpus's speakers, and the run's
/// training scaler.</summary>
public static class CrossCorpusEvaluator
{
    /// <param name="Metrics">The strict protocol: every class of the run is a class of its own.</param>
    /// <param name="CalmAsNeutral">The run's "calm" counted as "neutral" (probabilities summed, calm items labelled
    /// neutral): the protocol for corpora without calm, whose neutral speech a RAVDESS model may call calm. Null when
    /// the run lacks either class.</param>
    public sealed record Result(string Corpus, string Root, ClassificationMetrics Metrics, IReadOnlyDictionary<string, int> Dropped,
        IReadOnlyList<string> AbsentClasses, IReadOnlyList<SkippedItem> Skipped, string? SavedTo, ClassificationMetrics? CalmAsNeutral = null);

    /// <summary>Labels and probabilities with the class "calm" merged into "neutral" (the merged class keeps neutral's
    /// place; the classes after calm move up one); null when the classes lack either.</summary>
    public static (int[] Labels, double[,] Probabilities, string[] Classes)? MergeCalmIntoNeutral(int[] labels, double[,] probabilities, string[] classes)
    {
        var calm = Array.FindIndex(classes, c => c.Equals("calm", StringComparison.OrdinalIgnoreCase));
        var neutral = Array.FindIndex(classes, c => c.Equals("neutral", StringComparison.OrdinalIgnoreCase));
        if (calm < 0 || neutral < 0) return null;
        int To(int c) => c == calm ? To(neutral) : c > calm ? c - 1 : c;
        var merged = new double[labels.Length, classes.Length - 1];
        for (var i = 0; i < labels.Length; i++)
            for (var c = 0; c < classes.Length; c++) merged[i, To(c)] += probabilities[i, c];
        return (labels.Select(To).ToArray(), merged, classes.Where((_, c) => c != calm).ToArray());
    }

    /// <summary>The run's classes as a label space any corpus maps into by emotion: each class name (or each part of
    /// a "sad/fear" name) must name a unified emotion.</summary>
    public static LabelSpace ClassesByEmotion(IReadOnlyList<string> classes)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in classes)
            foreach (var part in c.Split('/'))
            {
                var e = EmotionNames.TryParse(part)
                    ?? throw new InvalidOperationException($"class '{c}' of the run names no unified emotion ('{part}'), so another corpus cannot be mapped into its classes");
                map[e.ToString()] = c;
            }
        return LabelSpace.FromMap("run-classes", map, classes);
    }

    public static Result Evaluate(string runDir, string root, CorpusKind corpus, string which = "best", bool save = true)
    {
        var folder = RunFolder.Open(runDir);
        var config = ConfigLoader.Load(folder.ConfigYaml, checkPaths: false).Config;
        var card = ModelCard.Load(folder.ModelJson);
        RunEvaluator.CheckpointOf(folder, card, which); // a bad --checkpoint fails before any feature is computed
        if (!Directory.Exists(root) && !File.Exists(root)) throw new DirectoryNotFoundException($"--data {root}: no such corpus folder");
        var read = ExperimentData.ReadCorpus(corpus, root);
        var space = ClassesByEmotion(card.Classes);
        var wanted = read.Items.Where(i => ExperimentData.WantedFor(i, config.Data)).ToList();
        var mapping = space.Apply(wanted, UnmappedPolicy.Drop);
        if (mapping.Items.Count == 0)
            throw new InvalidOperationException($"{root}: no {config.Data.Modality.ToString().ToLowerInvariant()} items of corpus {read.Corpus} map into the run's classes ({string.Join(", ", card.Classes)}); {read.Report}");

        IDataset data;
        IReadOnlyList<LabeledItem> scored;
        List<SkippedItem> failed;
        if (card.Features.Kind == FeatureKind.Pixels)
        {
            // A pixels (FER2013) model reads 48x48 rows: the CSV's, or an image folder's decoded into the same form.
            if (mapping.Items.FirstOrDefault(i => i.Item.Details is not Fer2013Row) is { } other)
                throw new NotSupportedException($"{runDir}: a features.kind pixels model reads FER2013 rows (--corpus fer2013: its CSV or <split>/<emotion>/ image folders); {other.Item.Path} is not one");
            data = new Fer2013Dataset(mapping.Items);
            scored = mapping.Items;
            failed = [];
        }
        else
        {
            var front = FrontEnd.Create(card.Features);
            var cache = new FeatureCache(Path.Combine(config.Output.Root, ".cache"), front.Primary);
            var paths = mapping.Items.Select(i => i.Item.Path).ToList();
            var fill = cache.Fill(paths);
            var extras = front.Extras.Select(x => new FeatureCache(Path.Combine(config.Output.Root, ".cache"), x)).ToList();
            var extraFailed = extras.SelectMany(c => c.Fill(paths).Failed).ToList();
            var set = new FeatureDataset(cache, mapping.Items, extras);
            if (set.Count == 0) throw new InvalidOperationException($"{root}: no item's features could be computed ({fill.Failed.Count} failed)");
            data = set;
            if (card.Features.SpeakerNorm)
            {
                if (set.Items.FirstOrDefault(i => i.Item.Speaker is null) is { } anonymous)
                    throw new InvalidOperationException($"{runDir} standardizes per speaker, and {anonymous.Item.Path} has no speaker");
                data = SpeakerNormalizer.Fit(set).Apply(data);
            }
            data = new CardTransformed(data, card); // the training scaler and PCA, exactly as inference applies them
            if (front.Unrolled) data = new UnrolledDataset(data);
            scored = set.Items;
            failed = [.. fill.Failed, .. extraFailed];
        }
        var seed = unchecked((int)config.Seed);
        var (labels, probabilities) = RunEvaluator.Predict(folder, card, which, data, config.Training.BatchSize);
        var metrics = RunEvaluator.Metrics(labels, probabilities, card.Classes, seed);
        var calmAsNeutral = MergeCalmIntoNeutral(labels, probabilities, card.Classes) is { } m ? RunEvaluator.Metrics(m.Labels, m.Probabilities, m.Classes, seed) : null;
        var absent = card.Classes.Where((c, i) => !scored.Any(it => it.Label == i)).ToList();
        var skipped = read.Report.Skipped.Concat(failed).ToList();
        string? saved = null;
        if (save)
        {
            var dir = folder.EvaluationsDir;
            Directory.CreateDirectory(dir);
            saved = Path.Combine(dir, $"{read.Corpus}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.json");
            var json = new JsonObject
            {
                ["corpus"] = read.Corpus, ["root"] = Path.GetFullPath(root), ["checkpoint"] = which, ["items"] = metrics.Count,
                ["protocol"] = "strict",
                ["accuracy"] = metrics.Accuracy, ["macro_f1"] = metrics.MacroF1, ["balanced_accuracy"] = metrics.BalancedAccuracy,
                ["accuracy_ci95"] = metrics.AccuracyCi is { } a ? new JsonArray(a.Lower, a.Upper) : null,
                ["dropped"] = new JsonObject(mapping.Dropped.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["absent_classes"] = new JsonArray(absent.Select(c => (JsonNode)c).ToArray()),
                ["skipped"] = skipped.Count,
                ["labels"] = new JsonArray(card.Classes.Select(c => (JsonNode)c).ToArray()),
                ["confusion"] = Confusion(metrics),
                ["calm_as_neutral"] = calmAsNeutral is { } cn ? new JsonObject
                {
                    ["protocol"] = "calm_as_neutral",
                    ["accuracy"] = cn.Accuracy, ["macro_f1"] = cn.MacroF1, ["balanced_accuracy"] = cn.BalancedAccuracy,
                    ["accuracy_ci95"] = cn.AccuracyCi is { } b ? new JsonArray(b.Lower, b.Upper) : null,
                    ["labels"] = new JsonArray(cn.Labels.Select(c => (JsonNode)c).ToArray()),
                    ["confusion"] = Confusion(cn),
                } : null,
            };
            AtomicFile.WriteAllText(saved, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }
        return new Result(read.Corpus, root, metrics, mapping.Dropped, absent, skipped, saved, calmAsNeutral);
    }

    private static JsonArray Confusion(ClassificationMetrics m) => new(Enumerable.Range(0, m.Labels.Length).Select(i =>
        (JsonNode)new JsonArray(Enumerable.Range(0, m.Labels.Length).Select(j => (JsonNode)m.Confusion[i, j]).ToArray())).ToArray());

    private sealed class CardTransformed(IDataset inner, ModelCard card) : IDataset
    {
        public int Count => inner.Count;

        public Example Get(int index)
        {
            var e = inner.Get(index);
            var (data, shape) = card.Transform(e.Data, e.Shape);
            return e with { Data = data, Shape = shape };
        }
    }
}
