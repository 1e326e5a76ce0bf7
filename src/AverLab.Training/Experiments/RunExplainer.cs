using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AverLab.Data.Loading;
using AverLab.FrontEnds;
using AverLab.Explanations;
using AverLab.IO;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Training.Reports;
using TorchSharp;
using static TorchSharp.torch;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>Settings of the `explain` command.</summary>
public sealed record ExplainOptions
{
    /// <summary>Test items explained one by one (per-item figures): the first item of each true class in split order,
    /// then the next of each, until this many.</summary>
    public int Items { get; init; } = 4;
    /// <summary>Permutations per item of the Shapley estimate (antithetic pairs: rounded up to even).</summary>
    public int Permutations { get; init; } = 64;
    /// <summary>Training rows that stand for "feature unknown" in the Shapley estimate (a seeded sample).</summary>
    public int BackgroundRows { get; init; } = 50;
    /// <summary>Test items whose Shapley values make the summary (mean |φ| of the predicted class), from the start of the split.</summary>
    public int ShapleyItems { get; init; } = 32;
    /// <summary>Shuffles per feature of the permutation importance (over the whole test split).</summary>
    public int Repeats { get; init; } = 5;
    /// <summary>Path points of integrated gradients (midpoint rule; the completeness gap each item records shows whether
    /// they were enough).</summary>
    public int IgSteps { get; init; } = 64;
    /// <summary>Spacing of those points, α = t^power (<see cref="IntegratedGradients.Compute"/>): 3 puts most of them near
    /// the zero baseline, where the CNN+Transformer's output jumps (its transformer's LayerNorm turns on within α of a
    /// few 1e-3: p rose 0.080 → 0.117 of a Δp 0.086 there). Equal steps (1) left completeness gaps of −0.032 at 64
    /// steps and −0.014 at 256 on it; power 3: −0.0005 and 0.0001.</summary>
    public int IgPower { get; init; } = 3;
    /// <summary>Most test items the t-SNE map draws (a seeded sample above it).</summary>
    public int TsnePoints { get; init; } = 2000;
    /// <summary>Seed of every sampled choice; null: the run's seed.</summary>
    public int? Seed { get; init; }
    /// <summary>best or last.</summary>
    public string Checkpoint { get; init; } = "best";
}

/// <summary>What <see cref="RunExplainer.Explain"/> wrote: the folder, the summary (explanations.json) and the figures.</summary>
public sealed record ExplainResult(string Folder, JsonObject Summary, IReadOnlyList<Figure> Figures);

/// <summary>The `explain` command: explanations of a finished run's model on its test split, written to the run's
/// <c>explanations/</c> folder (figures as PNG + SVG, numbers as CSV/JSON, every file atomically) and linked from
/// report.html's Explanations section.
/// <list type="bullet">
/// <item>every model: a seeded 2-D t-SNE of the penultimate-layer embeddings (<see cref="EmotionModel.forward_embedding"/>)
/// coloured by true class, wrong predictions marked, with its 5-NN class purity;</item>
/// <item>feature-vector models (MLP, AV transformer): sampling Shapley values of the predicted class (per item and the
/// mean |φ| summary; standard errors and efficiency gaps as convergence figures) and permutation importance;</item>
/// <item>models with convolutions: Grad-CAM of every exposed stage over the input, per item;</item>
/// <item>image-like inputs (MFCC/spectrogram images, faces): occlusion over patches and integrated gradients, per item.</item>
/// </list></summary>
public static class RunExplainer
{
    public const string FolderName = RunLayout.ExplanationsDir;

    public static ExplainResult Explain(string runDir, ExplainOptions? options = null, Action<string>? log = null)
    {
        var o = options ?? new ExplainOptions();
        Validate(o);
        using var run = ExplainedRun.Open(runDir, o, log ?? (_ => { }));
        foreach (var step in run.IsClassical ? ClassicalSteps : NeuralSteps) step(run);
        return Finish(run);
    }

    private delegate void Step(ExplainedRun run);

    /// <summary>A neural run: its checkpoint, test data and model; one pass over the test split; t-SNE of the
    /// embeddings; the items; then what the model's input allows (vector or image-like).</summary>
    private static readonly Step[] NeuralSteps =
        [ResolveCheckpoint, LoadTestData, LoadNeuralModel, StartOutput, PredictTestSplit, EmbedTsne, ChooseExplainedItems, ExplainByInput];

    /// <summary>A classical run (ML.NET random forest, logistic regression, gradient boosting; checkpoints/model.zip):
    /// Shapley values and permutation importance through its predict function over the same feature vector (after the
    /// run's scaler and PCA, as it was trained); t-SNE and the gradient/convolution maps do not apply and are listed
    /// in <c>not_applicable</c> with the reason.</summary>
    private static readonly Step[] ClassicalSteps =
        [ResolveClassicalCheckpoint, LoadClassicalModel, LoadTestData, StartOutput, PredictWithClassicalModel, ChooseExplainedItems, ListNotApplicable, ExplainFeatureVector];

    /// <summary>What does not apply to a classical model, and why (explanations.json's <c>not_applicable</c>, the log and
    /// the report say so; none of it is an error).</summary>
    public static readonly IReadOnlyDictionary<string, string> ClassicalNotApplicable = new Dictionary<string, string>
    {
        ["tsne"] = "a classical model (ML.NET) has no learned embedding layer to project",
        ["gradcam"] = "a classical model has no convolutional layers",
        ["occlusion"] = "occlusion and integrated gradients explain image-like inputs; a classical model reads a feature vector (see the Shapley values)",
        ["integrated_gradients"] = "a classical model (trees, or ML.NET's logistic regression) exposes no gradients",
    };

    /// <summary>What the steps share: the run, its settings, and what each step leaves for the next.</summary>
    private sealed class ExplainedRun(RunFolder folder, ConfigLoader.Loaded loaded, ModelCard card, ExplainOptions options, Action<string> log) : IDisposable
    {
        public RunFolder Folder { get; } = folder;
        public ConfigLoader.Loaded Loaded { get; } = loaded;
        public ModelCard Card { get; } = card;
        public ExplainOptions Options { get; } = options;
        public Action<string> Log { get; } = log;
        public ModelSpec Spec { get; } = ModelRegistry.Get(card.Model);
        public bool IsClassical => Spec.IsClassical;
        public int Seed => Options.Seed ?? unchecked((int)Loaded.Config.Seed);
        public string OutDir => Path.Combine(Folder.Path, FolderName);
        public string Checkpoint { get; set; } = "";
        public ExperimentData Data { get; set; } = null!;
        public EmotionModel? Model { get; set; }
        public PredictFunction? Predict { get; set; }
        public List<Figure> Figures { get; } = [];
        public JsonObject Summary { get; set; } = null!;
        public Pass Pass { get; set; } = null!;
        public int[] Chosen { get; set; } = [];

        public string ItemName(int i) => Path.GetFileName(ItemPath(Data, Pass.Indices[i]));

        public static ExplainedRun Open(string runDir, ExplainOptions o, Action<string> log)
        {
            var folder = RunFolder.Open(runDir);
            if (!File.Exists(folder.ModelJson)) throw new InvalidDataException($"{folder.Path}: no model.json (the run did not finish)");
            return new ExplainedRun(folder, ConfigLoader.Load(folder.ConfigYaml), ModelCard.Load(folder.ModelJson), o, log);
        }

        public void Dispose() => Model?.Dispose();
    }

    private static void ResolveCheckpoint(ExplainedRun run)
    {
        run.Checkpoint = run.Options.Checkpoint switch
        {
            "best" => run.Folder.BestCheckpoint,
            "last" => run.Folder.LastCheckpoint,
            _ => throw new ArgumentException($"--checkpoint must be best or last, got '{run.Options.Checkpoint}'"),
        };
        if (!File.Exists(run.Checkpoint)) throw new FileNotFoundException($"{run.Checkpoint}: no such checkpoint", run.Checkpoint);
    }

    private static void ResolveClassicalCheckpoint(ExplainedRun run)
    {
        if (run.Options.Checkpoint != "best")
            throw new ArgumentException($"--checkpoint: {run.Card.Model} is a classical run with one model ({run.Card.Checkpoint}); leave it at best");
        run.Checkpoint = Path.Combine(run.Folder.Path, run.Card.Checkpoint);
        if (!File.Exists(run.Checkpoint)) throw new FileNotFoundException($"{run.Checkpoint}: no such checkpoint", run.Checkpoint);
    }

    /// <summary>The run's data rebuilt from its config, checked against its split manifest.</summary>
    private static void LoadTestData(ExplainedRun run)
    {
        run.Data = ExperimentRunner.ReloadData(run.Folder, run.Loaded.Config);
        if (run.Data.Test.Count == 0) throw new InvalidDataException($"{run.Folder.Path}: the test split is empty; nothing to explain");
    }

    private static void LoadNeuralModel(ExplainedRun run)
    {
        run.Model = run.Card.CreateModel();
        ModelFile.LoadInto(run.Model, run.Checkpoint);
        run.Model.eval();
    }

    private static void LoadClassicalModel(ExplainedRun run)
    {
        var modelOptions = (AverLab.Models.Classical.IClassicalOptions)(System.Text.Json.JsonSerializer.Deserialize(run.Card.Options, run.Spec.OptionsType, ModelCard.Json)
                           ?? throw new InvalidDataException($"{run.Folder.ModelJson}: the options of {run.Card.Model} are empty"));
        run.Predict = AverLab.Models.Classical.ClassicalModel.Load(run.Checkpoint, run.Card.Classes.Length, modelOptions.InputSize).PredictRows;
    }

    /// <summary>explanations/ and the summary's head (explanations.json).</summary>
    private static void StartOutput(ExplainedRun run)
    {
        Directory.CreateDirectory(run.OutDir);
        run.Summary = new JsonObject
        {
            ["model"] = run.Card.Model,
            ["checkpoint"] = run.Options.Checkpoint,
            ["seed"] = run.Seed,
            ["test_items"] = run.Data.Test.Count,
        };
    }

    /// <summary>One pass over the test split: probabilities, embeddings, and the flat features of vector models.</summary>
    private static void PredictTestSplit(ExplainedRun run)
    {
        run.Log($"test split: {run.Data.Test.Count} items; embeddings and predictions");
        run.Pass = TestPass(run.Model!, run.Spec, run.Data, run.Loaded.Config.Training.BatchSize);
    }

    private static void PredictWithClassicalModel(ExplainedRun run)
    {
        var data = run.Data;
        run.Log($"test split: {data.Test.Count} items; predictions of the classical model ({run.Card.Model})");
        var rows = new float[data.Test.Count][];
        var labels = new int[data.Test.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var ex = data.Test.Get(i);
            rows[i] = ex.Data;
            labels[i] = (int)ex.Label;
        }
        var probabilities = run.Predict!(rows);
        var predictions = probabilities.Select(p => Array.IndexOf(p, p.Max())).ToArray();
        run.Pass = new Pass(Enumerable.Range(0, rows.Length).ToArray(), labels, predictions, probabilities, [], rows);
    }

    /// <summary>A seeded 2-D t-SNE of the embeddings (a seeded sample above <see cref="ExplainOptions.TsnePoints"/>),
    /// coloured by true class, wrong predictions marked, with its 5-NN class purity.</summary>
    private static void EmbedTsne(ExplainedRun run)
    {
        var (pass, seed, classes) = (run.Pass, run.Seed, run.Card.Classes);
        var keep = Enumerable.Range(0, pass.Count).ToArray();
        if (keep.Length > run.Options.TsnePoints)
        {
            new Random(seed).Shuffle(keep);
            keep = keep.Take(run.Options.TsnePoints).Order().ToArray();
        }
        run.Log($"t-SNE of {keep.Length} embeddings ({pass.Embeddings[0].Length} values each)");
        var map = keep.Length >= 2 ? Tsne.Embed(keep.Select(i => pass.Embeddings[i]).ToArray(), new TsneOptions { Seed = seed }) : new double[keep.Length, 2];
        var labels = keep.Select(i => pass.Labels[i]).ToArray();
        var predicted = keep.Select(i => pass.Predictions[i]).ToArray();
        var purity = keep.Length >= 2 ? Tsne.NeighbourPurity(map, labels, 5) : double.NaN;
        var csv = new StringBuilder("index,item,true,predicted,x,y\n");
        for (var r = 0; r < keep.Length; r++)
            csv.Append(CultureInfo.InvariantCulture, $"{pass.Indices[keep[r]]},{Csv(run.ItemName(keep[r]))},{classes[labels[r]]},{classes[predicted[r]]},{map[r, 0]:R},{map[r, 1]:R}\n");
        AtomicFile.WriteAllText(Path.Combine(run.OutDir, "tsne.csv"), csv.ToString());
        run.Figures.Add(Figure.Render("tsne", "explain-tsne",
            $"t-SNE of the penultimate-layer embeddings ({keep.Length} test items, perplexity {Math.Min(30, (keep.Length - 1) / 3.0):0.#}, seed {seed}); crosses: wrong predictions; 5-NN class purity {F(purity)}",
            ExplanationFigures.Embedding($"Embeddings, t-SNE (5-NN purity {F(purity)})", map, labels, predicted, classes), 720, 600));
        run.Summary["tsne"] = new JsonObject
        {
            ["points"] = keep.Length, ["embedding_width"] = pass.Embeddings[0].Length, ["perplexity"] = Math.Min(30, (keep.Length - 1) / 3.0),
            ["iterations"] = new TsneOptions().Iterations, ["knn_purity_k5"] = Num(purity), ["file"] = "tsne.csv",
        };
    }

    /// <summary>The items explained one by one (<see cref="ChooseItems"/>), listed in the summary.</summary>
    private static void ChooseExplainedItems(ExplainedRun run)
    {
        var (pass, classes) = (run.Pass, run.Card.Classes);
        run.Chosen = ChooseItems(pass.Labels, run.Options.Items);
        run.Summary["items"] = new JsonArray(run.Chosen.Select(i => (JsonNode)new JsonObject
        {
            ["index"] = pass.Indices[i], ["item"] = run.ItemName(i), ["true"] = classes[pass.Labels[i]], ["predicted"] = classes[pass.Predictions[i]],
            ["probability"] = Num(pass.Probabilities[i][pass.Predictions[i]]),
        }).ToArray());
    }

    private static void ListNotApplicable(ExplainedRun run)
    {
        var notApplicable = new JsonObject();
        foreach (var (what, why) in ClassicalNotApplicable)
        {
            notApplicable[what] = why;
            run.Log($"{what}: does not apply ({why})");
        }
        run.Summary["not_applicable"] = notApplicable;
    }

    /// <summary>Feature-vector models get Shapley values and permutation importance; the others per-item maps.</summary>
    private static void ExplainByInput(ExplainedRun run)
    {
        if (run.Model!.Inputs == InputKinds.Features)
        {
            run.Predict = PredictFunctions.For(run.Model);
            ExplainFeatureVector(run);
        }
        else TensorExplanations(run.Model, run.Spec, run.Data, run.Pass, run.Chosen, run.Options, run.OutDir, run.Figures, run.Summary, run.ItemName, run.Log);
    }

    private static void ExplainFeatureVector(ExplainedRun run) =>
        VectorExplanations(run.Predict!, run.Card, run.Data, run.Pass, run.Chosen, run.Options, run.Seed, run.OutDir, run.Figures, run.Summary, run.ItemName, run.Log);

    /// <summary>The figures saved, explanations.json written and report.html's Explanations section replaced.</summary>
    private static ExplainResult Finish(ExplainedRun run)
    {
        foreach (var f in run.Figures) f.Save(run.OutDir);
        run.Summary["figures"] = new JsonArray(run.Figures.Select(f => (JsonNode)new JsonObject { ["id"] = f.Id, ["png"] = f.PngFile, ["svg"] = f.SvgFile, ["caption"] = f.Caption }).ToArray());
        run.Folder.WriteJson(Path.Combine(run.OutDir, RunLayout.ExplanationsJson), run.Summary);
        if (File.Exists(run.Folder.ReportHtml))
            AtomicFile.WriteAllText(run.Folder.ReportHtml, ReportWriter.WithExplanations(File.ReadAllText(run.Folder.ReportHtml), run.Figures, run.Summary));
        run.Log($"explanations: {run.OutDir}");
        return new ExplainResult(run.OutDir, run.Summary, run.Figures);
    }

    private static void Validate(ExplainOptions o)
    {
        if (o.Items < 0) throw new ArgumentException($"--items must be 0 or more, got {o.Items}");
        if (o.Permutations < 2) throw new ArgumentException($"--permutations must be at least 2, got {o.Permutations}");
        if (o.BackgroundRows < 1) throw new ArgumentException($"background rows must be at least 1, got {o.BackgroundRows}");
        if (o.ShapleyItems < 1) throw new ArgumentException($"--shapley-items must be at least 1, got {o.ShapleyItems}");
        if (o.Repeats < 1) throw new ArgumentException($"--repeats must be at least 1, got {o.Repeats}");
        if (o.IgSteps < 1) throw new ArgumentException($"--ig-steps must be at least 1, got {o.IgSteps}");
        if (o.IgPower < 1) throw new ArgumentException($"the integrated-gradient path power must be at least 1, got {o.IgPower}");
        if (o.TsnePoints < 2) throw new ArgumentException($"t-SNE points must be at least 2, got {o.TsnePoints}");
    }

    private sealed record Pass(int[] Indices, int[] Labels, int[] Predictions, double[][] Probabilities, double[][] Embeddings, float[][]? Rows)
    {
        public int Count => Indices.Length;
    }

    private static Pass TestPass(EmotionModel model, ModelSpec spec, ExperimentData data, int batchSize)
    {
        var indices = new List<int>();
        var labels = new List<int>();
        var preds = new List<int>();
        var probs = new List<double[]>();
        var embeddings = new List<double[]>();
        var rows = model.Inputs == InputKinds.Features ? new List<float[]>() : null;
        using var noGrad = no_grad();
        foreach (var batch in new DataLoader(data.Test, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false }, SplitRole.Test))
        {
            using (batch)
            using (NewDisposeScope())
            {
                var inputs = ModelInputMapping.ToInputs(spec, batch);
                var p = model.call(inputs).softmax(1).to(ScalarType.Float64);
                var e = model.forward_embedding(inputs).flatten(1).to(ScalarType.Float64);
                var (k, w) = ((int)p.shape[1], (int)e.shape[1]);
                var pv = p.data<double>().ToArray();
                var ev = e.data<double>().ToArray();
                var y = batch.Labels.data<long>().ToArray();
                var fv = rows != null ? inputs.Features!.to(ScalarType.Float32).contiguous().data<float>().ToArray() : null;
                var width = rows != null ? (int)inputs.Features!.shape[1] : 0;
                for (var i = 0; i < batch.Size; i++)
                {
                    var pi = pv.AsSpan(i * k, k).ToArray();
                    probs.Add(pi);
                    preds.Add(Array.IndexOf(pi, pi.Max()));
                    labels.Add((int)y[i]);
                    embeddings.Add(ev.AsSpan(i * w, w).ToArray());
                    rows?.Add(fv.AsSpan(i * width, width).ToArray());
                }
                indices.AddRange(batch.Indices);
            }
        }
        return new Pass(indices.ToArray(), labels.ToArray(), preds.ToArray(), probs.ToArray(), embeddings.ToArray(), rows?.ToArray());
    }

    /// <summary>Up to <paramref name="count"/> positions: the first item of each true class in split order, then the
    /// second of each, and so on.</summary>
    public static int[] ChooseItems(int[] labels, int count)
    {
        var byClass = labels.Select((l, i) => (l, i)).GroupBy(p => p.l).OrderBy(g => g.Key).Select(g => g.Select(p => p.i).ToList()).ToList();
        var chosen = new List<int>();
        for (var round = 0; chosen.Count < count && byClass.Any(g => g.Count > round); round++)
            foreach (var g in byClass)
                if (g.Count > round && chosen.Count < count) chosen.Add(g[round]);
        return chosen.ToArray();
    }

    private static string ItemPath(ExperimentData data, int datasetIndex)
    {
        var item = data.Test is UnrolledDataset u ? u.ItemOf(datasetIndex) : datasetIndex;
        return item < data.TestItems.Count ? data.TestItems[item].Item.Path : $"item {datasetIndex}";
    }

    /// <summary>Names of a feature vector's values (<see cref="FeatureNaming.Of"/>).</summary>
    public static string[] FeatureNames(FeatureConfig f, int width, bool projected = false) => FeatureNaming.Of(f, width, projected);

    private static void VectorExplanations(PredictFunction predict, ModelCard card, ExperimentData data, Pass pass, int[] chosen, ExplainOptions o, int seed,
        string outDir, List<Figure> figures, JsonObject summary, Func<int, string> itemName, Action<string> log)
    {
        var classes = card.Classes;
        var rows = pass.Rows!;
        var d = rows[0].Length;
        var names = FeatureNames(card.Features, d, card.Pca != null);

        // Background: a seeded sample of training rows, as the model sees them (after the pipeline's scaling).
        var train = new List<float[]>();
        var trainIdx = Enumerable.Range(0, data.Train.Count).ToArray();
        new Random(seed).Shuffle(trainIdx);
        foreach (var i in trainIdx.Take(o.BackgroundRows))
        {
            var ex = data.Train.Get(i);
            if (ex.Data.Length != d) throw new InvalidDataException($"training item {i} has {ex.Data.Length} feature values, the test items {d}");
            train.Add(ex.Data);
        }

        var explained = Enumerable.Range(0, Math.Min(o.ShapleyItems, pass.Count)).Union(chosen).Order().ToArray();
        log($"Shapley values: {explained.Length} items x {o.Permutations} permutations x {d + 1} evaluations, {train.Count} background rows");
        var meanAbs = new double[d];
        var gaps = new List<double>();
        var ses = new List<double>();
        var csv = new StringBuilder("index,item,true,predicted,feature,name,phi,standard_error\n");
        var perItem = new Dictionary<int, ShapleyResult>();
        var inSummary = 0;
        foreach (var i in explained)
        {
            var r = ShapleySampling.Estimate(predict, rows[i], train, o.Permutations, unchecked(seed * 7919 + i));
            var c = pass.Predictions[i];
            var phi = r.Of(c);
            var se = r.StandardErrorsOf(c);
            if (i < o.ShapleyItems)
            {
                inSummary++;
                for (var j = 0; j < d; j++) meanAbs[j] += Math.Abs(phi[j]);
            }
            gaps.Add(r.EfficiencyGap(c));
            ses.Add(se.Average());
            for (var j = 0; j < d; j++)
                csv.Append(CultureInfo.InvariantCulture, $"{pass.Indices[i]},{Csv(itemName(i))},{classes[pass.Labels[i]]},{classes[c]},{j},{Csv(names[j])},{phi[j]:R},{se[j]:R}\n");
            if (chosen.Contains(i)) perItem[i] = r;
        }
        for (var j = 0; j < d; j++) meanAbs[j] /= Math.Max(1, inSummary);
        AtomicFile.WriteAllText(Path.Combine(outDir, "shapley.csv"), csv.ToString());
        var sum = new StringBuilder("feature,name,mean_abs_phi\n");
        for (var j = 0; j < d; j++) sum.Append(CultureInfo.InvariantCulture, $"{j},{Csv(names[j])},{meanAbs[j]:R}\n");
        AtomicFile.WriteAllText(Path.Combine(outDir, "shapley_summary.csv"), sum.ToString());
        figures.Add(Figure.Render("shapley_summary", "explain-shapley-summary",
            $"Mean |Shapley value| of the predicted class over {inSummary} test items ({o.Permutations} permutations each, {train.Count} background rows)",
            ExplanationFigures.Attributions("Feature importance, mean |Shapley value|", "mean |φ| (probability of the predicted class)", names, meanAbs), 720, 520));
        var n = 0;
        foreach (var (i, r) in perItem.OrderBy(p => p.Key))
        {
            var c = pass.Predictions[i];
            figures.Add(Figure.Render($"shapley_item{n}", $"explain-shapley-item{n}",
                $"Shapley values for {itemName(i)} (true {classes[pass.Labels[i]]}, predicted {classes[c]} {pass.Probabilities[i][c]:0.00}); bars ± 1 standard error; efficiency gap {r.EfficiencyGap(c):0.0000}",
                ExplanationFigures.Attributions($"{itemName(i)}: {classes[c]}", "φ (probability of the predicted class)", names, r.Of(c), r.StandardErrorsOf(c)), 720, 520));
            n++;
        }
        summary["shapley"] = new JsonObject
        {
            ["method"] = "permutation sampling, antithetic pairs, one random background row per pair",
            ["permutations"] = o.Permutations + o.Permutations % 2, ["background_rows"] = train.Count, ["summary_items"] = inSummary,
            ["explained_items"] = explained.Length, ["target"] = "predicted class probability",
            ["efficiency_gap_mean_abs"] = Num(gaps.Average(Math.Abs)), ["efficiency_gap_max_abs"] = Num(gaps.Max(Math.Abs)),
            ["standard_error_mean"] = Num(ses.Average()),
            ["files"] = new JsonArray("shapley.csv", "shapley_summary.csv"),
        };

        log($"permutation importance: {d} features x {o.Repeats} shuffles over {pass.Count} test items");
        var pi = PermutationImportance.Compute(predict, rows, pass.Labels, o.Repeats, seed);
        var pcsv = new StringBuilder("feature,name,mean_accuracy_drop,std\n");
        for (var j = 0; j < d; j++) pcsv.Append(CultureInfo.InvariantCulture, $"{j},{Csv(names[j])},{pi.Mean[j]:R},{pi.StandardDeviation[j]:R}\n");
        AtomicFile.WriteAllText(Path.Combine(outDir, "permutation_importance.csv"), pcsv.ToString());
        figures.Add(Figure.Render("permutation_importance", "explain-permutation-importance",
            $"Permutation importance: test accuracy lost when one feature is shuffled ({o.Repeats} shuffles, ± 1 SD; accuracy {pi.BaselineAccuracy:0.000} on {pi.Items} items)",
            ExplanationFigures.Attributions("Permutation importance", "accuracy drop", names, pi.Mean, pi.StandardDeviation), 720, 520));
        summary["permutation_importance"] = new JsonObject
        {
            ["repeats"] = o.Repeats, ["items"] = pi.Items, ["baseline_accuracy"] = Num(pi.BaselineAccuracy), ["file"] = "permutation_importance.csv",
        };
    }

    private static void TensorExplanations(EmotionModel model, ModelSpec spec, ExperimentData data, Pass pass, int[] chosen, ExplainOptions o,
        string outDir, List<Figure> figures, JsonObject summary, Func<int, string> itemName, Action<string> log)
    {
        var classes = pass.Probabilities[0].Length;
        var gradCam = new JsonArray();
        var saliency = new JsonArray();
        var n = 0;
        foreach (var i in chosen)
        {
            using var scope = NewDisposeScope();
            var ex = data.Test.Get(pass.Indices[i]);
            using var batch = Collate.Pad([ex], [pass.Indices[i]]);
            var inputs = ModelInputMapping.ToInputs(spec, batch);
            var target = pass.Predictions[i];
            var label = $"{itemName(i)} (true {ClassName(data, pass.Labels[i])}, predicted {ClassName(data, target)} {pass.Probabilities[i][target]:0.00})";
            var record = new JsonObject { ["index"] = pass.Indices[i], ["item"] = itemName(i), ["target"] = ClassName(data, target) };

            var cams = GradCam.Compute(model, inputs, target);
            foreach (var cam in cams)
            {
                var input = cam.Input switch { InputKinds.Frames => inputs.Frames!, InputKinds.Image => inputs.Image!, _ => inputs.Audio! };
                var (img, heat, shown) = Panels(input, cam);
                var audio = cam.Input == InputKinds.Audio;
                figures.Add(Figure.Render($"gradcam_item{n}_{Safe(cam.Stage)}", $"explain-gradcam-item{n}-{Safe(cam.Stage)}",
                    $"Grad-CAM of {cam.Stage} ({cam.MapHeight} x {cam.MapWidth} per {(cam.Frames > 1 ? $"frame, {shown} of {cam.Frames} frames" : "item")}) for {label}",
                    ExplanationFigures.Saliency($"Grad-CAM, {cam.Stage}", img, heat, false, AxisX(cam.Input, input), AxisY(cam.Input, input), audio), 760, 420));
                gradCam.Add(new JsonObject
                {
                    ["index"] = pass.Indices[i], ["stage"] = cam.Stage, ["frames"] = cam.Frames, ["height"] = cam.Height, ["width"] = cam.Width,
                    ["map_height"] = cam.MapHeight, ["map_width"] = cam.MapWidth,
                });
                record[$"gradcam_{cam.Stage}"] = new JsonArray(cam.Heat.Select(v => (JsonNode)Math.Round(v, 5)).ToArray());
            }

            // Occlusion and integrated gradients over a 4-D primary input (an MFCC/spectrogram image or a face), the
            // other inputs held at this item's values.
            var (primary, rebuild) = Primary(spec, inputs);
            if (primary.dim() == 4)
            {
                Tensor Logits(Tensor x)
                {
                    var b = x.shape[0];
                    return model.call(rebuild(x, b));
                }
                var (h, w) = ((int)primary.shape[^2], (int)primary.shape[^1]);
                var audio = spec.Inputs.HasFlag(InputKinds.Audio);
                var patch = audio ? (Math.Max(1, h / 8), Math.Max(1, w / 16)) : (Math.Max(1, h / 8), Math.Max(1, w / 8));
                var occ = Occlusion.Compute(Logits, primary, target, patch, patch);
                var ig = IntegratedGradients.Compute(Logits, primary, null, target, o.IgSteps, power: o.IgPower);
                var igMap = SumToLastTwo(ig.Attribution, ig.Shape);
                var img = ChannelImage(primary, audio);
                figures.Add(Figure.Render($"occlusion_item{n}", $"explain-occlusion-item{n}",
                    $"Occlusion ({occ.PatchHeight} x {occ.PatchWidth} patches set to 0, {occ.Patches} patches): mean drop of the predicted class's probability, for {label}",
                    ExplanationFigures.Saliency("Occlusion", img, ToGrid(occ.Map, h, w), true, AxisX(spec.Inputs, primary), AxisY(spec.Inputs, primary), audio), 760, 420));
                figures.Add(Figure.Render($"integrated_gradients_item{n}", $"explain-ig-item{n}",
                    $"Integrated gradients ({ig.Steps} steps, α = t^{o.IgPower}, from a zero baseline; Σ {ig.Sum:0.0000} vs p(x) − p(0) {ig.Probability - ig.BaselineProbability:0.0000}) for {label}",
                    ExplanationFigures.Saliency("Integrated gradients", img, ToGrid(igMap, h, w), true, AxisX(spec.Inputs, primary), AxisY(spec.Inputs, primary), audio), 760, 420));
                saliency.Add(new JsonObject
                {
                    ["index"] = pass.Indices[i], ["occlusion_patch"] = new JsonArray(occ.PatchHeight, occ.PatchWidth), ["occlusion_patches"] = occ.Patches,
                    ["ig_steps"] = ig.Steps, ["ig_power"] = o.IgPower, ["ig_sum"] = Num(ig.Sum), ["ig_probability_delta"] = Num(ig.Probability - ig.BaselineProbability),
                    ["ig_completeness_gap"] = Num(ig.CompletenessGap),
                });
                record["height"] = h;
                record["width"] = w;
                record["occlusion"] = new JsonArray(occ.Map.Select(v => (JsonNode)Math.Round(v, 6)).ToArray());
                record["integrated_gradients"] = new JsonArray(igMap.Select(v => (JsonNode)Math.Round(v, 7)).ToArray());
            }
            AtomicFile.WriteAllText(Path.Combine(outDir, $"item{n}.json"), record.ToJsonString() + "\n");
            n++;
        }
        log($"per-item maps: {n} items, {figures.Count - 1} figures");
        if (gradCam.Count > 0) summary["gradcam"] = gradCam;
        if (saliency.Count > 0) summary["saliency"] = saliency;
        summary["item_files"] = new JsonArray(Enumerable.Range(0, n).Select(k => (JsonNode)$"item{k}.json").ToArray());
        _ = classes;
    }

    private static string ClassName(ExperimentData data, int c) => data.Labels.Classes[c];

    /// <summary>The input the saliency maps lie over, and how to rebuild the model's inputs around a batch of it.</summary>
    private static (Tensor primary, Func<Tensor, long, ModelInputs> rebuild) Primary(ModelSpec spec, ModelInputs inputs)
    {
        Tensor? Expand(Tensor? t, long b) => t is null ? null : t.expand([b, .. t.shape.Skip(1)]);
        if (spec.Inputs.HasFlag(InputKinds.Audio))
            return (inputs.Audio!, (x, b) => new ModelInputs { Audio = x, Frames = Expand(inputs.Frames, b), Sentiment = Expand(inputs.Sentiment, b) });
        if (spec.Inputs.HasFlag(InputKinds.Image))
            return (inputs.Image!, (x, b) => new ModelInputs { Image = x, Landmarks = Expand(inputs.Landmarks, b) });
        return (inputs.Frames ?? inputs.Features!, (x, b) => new ModelInputs { Frames = x });
    }

    /// <summary>Channel-summed attributions over the last two dimensions (H x W).</summary>
    private static float[] SumToLastTwo(float[] values, long[] shape)
    {
        var (h, w) = ((int)shape[^2], (int)shape[^1]);
        var plane = h * w;
        var map = new float[plane];
        for (var i = 0; i < values.Length; i++) map[i % plane] += values[i];
        return map;
    }

    /// <summary>The picture a map is drawn over: channel 0 of an audio input (the MFCC itself; the others are its
    /// deltas), the channel mean of an image.</summary>
    private static double[,] ChannelImage(Tensor x, bool audio)
    {
        using var scope = NewDisposeScope();
        var t = x.dim() == 4 ? x[0] : x;
        var plane = audio ? t[0] : t.mean([0L]);
        return ToGrid(plane.to(ScalarType.Float32).contiguous().data<float>().ToArray(), (int)plane.shape[0], (int)plane.shape[1]);
    }

    /// <summary>For a Grad-CAM map: the input and the heat as grids; frames (up to 4, evenly spread) side by side.</summary>
    private static (double[,] img, double[,] heat, int shown) Panels(Tensor input, ClassActivationMap cam)
    {
        if (cam.Frames <= 1) return (ChannelImage(input, cam.Input == InputKinds.Audio), ToGrid(cam.Heat, cam.Height, cam.Width), 1);
        var shown = Math.Min(4, cam.Frames);
        var picks = Enumerable.Range(0, shown).Select(k => (int)Math.Round(k * (cam.Frames - 1) / (double)Math.Max(1, shown - 1))).Distinct().ToArray();
        var (h, w) = (cam.Height, cam.Width);
        var img = new double[h, w * picks.Length];
        var heat = new double[h, w * picks.Length];
        for (var p = 0; p < picks.Length; p++)
        {
            var frame = ChannelImage(input[0][picks[p]].unsqueeze(0), false);
            var map = cam.Frame(picks[p]);
            for (var r = 0; r < h; r++)
                for (var c = 0; c < w; c++)
                {
                    img[r, p * w + c] = frame[r, c];
                    heat[r, p * w + c] = map[r * w + c];
                }
        }
        return (img, heat, picks.Length);
    }

    private static string AxisX(InputKinds kind, Tensor input) => kind.HasFlag(InputKinds.Audio) && !kind.HasFlag(InputKinds.Frames)
        ? (input.shape[^1] < input.shape[^2] ? "coefficient" : "frame") : "column";

    private static string AxisY(InputKinds kind, Tensor input) => kind.HasFlag(InputKinds.Audio) && !kind.HasFlag(InputKinds.Frames)
        ? (input.shape[^1] < input.shape[^2] ? "frame" : "coefficient") : "row";

    private static double[,] ToGrid(float[] values, int h, int w)
    {
        var g = new double[h, w];
        for (var r = 0; r < h; r++)
            for (var c = 0; c < w; c++) g[r, c] = values[r * w + c];
        return g;
    }

    private static string Safe(string s) => new(s.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_').ToArray());
    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
}
