using System.Text.Json.Nodes;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.Tests.Support;

namespace AverLab.Training.Tests.Experiments;

/// <summary>The `explain` command's library end to end on small runs of the pipeline corpus: a feature-vector model
/// (Shapley values, permutation importance, t-SNE) and a convolutional MFCC model (Grad-CAM, occlusion, integrated
/// gradients, t-SNE); files, counts, the report section replaced rather than repeated, and the same numbers twice.</summary>
[Collection("pipeline")]
public sealed class RunExplainerTests(PipelineFixture fx)
{
    private static readonly ExplainOptions Small = new() { Items = 2, Permutations = 4, ShapleyItems = 2, Repeats = 1, IgSteps = 64 };

    private static string[] Lines(string path) => File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();

    [Fact]
    [Trait("Category", Category.Slow)]
    public void VectorModelGetsShapleyPermutationImportanceAndTsne()
    {
        var run = ExperimentRunner.Run(ConfigLoader.FromText(fx.Config("explain_mlp", 2), "explain_mlp.yaml",
            ["features.kind=handcrafted", "model.name=feature_mlp", "model.params={hidden_sizes: [16], dropout: 0.0}"]),
            new RunOptions { BootstrapSamples = 0 }).Folder.Path;
        var r = RunExplainer.Explain(run, Small);
        var s = r.Summary;
        var n = s["test_items"]!.GetValue<int>();
        Assert.True(n >= 8, $"{n} test items");
        Assert.Equal(n + 1, Lines(Path.Combine(r.Folder, "tsne.csv")).Length);
        Assert.Equal(1020 + 1, Lines(Path.Combine(r.Folder, "permutation_importance.csv")).Length);
        Assert.Equal(1020 + 1, Lines(Path.Combine(r.Folder, "shapley_summary.csv")).Length);
        var explained = s["shapley"]!["explained_items"]!.GetValue<int>();
        Assert.InRange(explained, 2, 4);                                   // the first 2 and the 2 chosen items, overlapping or not
        Assert.Equal(explained * 1020 + 1, Lines(Path.Combine(r.Folder, "shapley.csv")).Length);
        Assert.Equal(4, s["shapley"]!["permutations"]!.GetValue<int>());
        // Each permutation's credits sum to f(x) − f(b) exactly: the gap is E f's background-sampling error, a probability difference.
        Assert.InRange(s["shapley"]!["efficiency_gap_max_abs"]!.GetValue<double>(), 0, 1);
        Assert.Equal(["explain-tsne", "explain-shapley-summary", "explain-shapley-item0", "explain-shapley-item1", "explain-permutation-importance"],
            r.Figures.Select(f => f.Id));
        foreach (var f in r.Figures)
        {
            Assert.True(File.Exists(Path.Combine(r.Folder, f.PngFile)) && File.Exists(Path.Combine(r.Folder, f.SvgFile)), $"missing {f.Name}");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(r.Folder, f.PngFile)).Take(4));
        }
        var html = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("<section id=\"explanations\"><h2>Explanations</h2>", html);
        Assert.Contains("href=\"explanations/shapley_summary.svg\"", html);

        // Again: the same numbers (seeded), and the report's section replaced, not repeated.
        var first = File.ReadAllText(Path.Combine(r.Folder, "shapley.csv"));
        RunExplainer.Explain(run, Small);
        Assert.Equal(first, File.ReadAllText(Path.Combine(r.Folder, "shapley.csv")));
        html = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<section id=\"explanations\">"));
    }

    [Fact]
    public void ConvolutionalMfccModelGetsGradCamOcclusionAndIntegratedGradients()
    {
        var run = ExperimentRunner.Run(ConfigLoader.FromText(fx.Config("explain_cnn", 1), "explain_cnn.yaml"), new RunOptions { BootstrapSamples = 0 }).Folder.Path;
        var r = RunExplainer.Explain(run, Small);
        var s = r.Summary;
        Assert.Equal(2, s["items"]!.AsArray().Count);
        // Two conv branches, two items: four Grad-CAM maps over the 40 x 101 MFCC image.
        var cams = s["gradcam"]!.AsArray();
        Assert.Equal(["conv2Dblock1", "conv2Dblock2", "conv2Dblock1", "conv2Dblock2"], cams.Select(c => c!["stage"]!.GetValue<string>()));
        Assert.All(cams, c => Assert.Equal((40, 101, 5, 12), (c!["height"]!.GetValue<int>(), c["width"]!.GetValue<int>(), c["map_height"]!.GetValue<int>(), c["map_width"]!.GetValue<int>())));
        var item = JsonNode.Parse(File.ReadAllText(Path.Combine(r.Folder, "item0.json")))!;
        Assert.Equal(40 * 101, item["occlusion"]!.AsArray().Count);
        Assert.Equal(40 * 101, item["integrated_gradients"]!.AsArray().Count);
        Assert.Equal(40 * 101, item["gradcam_conv2Dblock1"]!.AsArray().Count);
        foreach (var sal in s["saliency"]!.AsArray())
        {
            var gap = sal!["ig_completeness_gap"]!.GetValue<double>();
            var delta = sal["ig_probability_delta"]!.GetValue<double>();
            // The gap is recorded as Σ − Δp. This CNN+Transformer's probability jumps within α < 0.01 of the zero
            // baseline (its transformer's LayerNorm turns on), which equal steps miss: −0.038 (16 steps), −0.032 (64),
            // −0.014 (256) with Δp 0.086, float32 and float64 alike, autograd equal to finite differences along the path.
            // With α = t³ (the default) the same 64 steps give −0.0005 (−0.0003 on another item), 0.0001 at 256. Bound:
            // 10 % of Δp (0.5 % measured), or 0.005 for an item whose Δp is tiny.
            Assert.Equal(3, sal["ig_power"]!.GetValue<int>());
            // Each of the three is recorded rounded to 6 decimals: they agree within two of those roundings.
            Assert.True(Math.Abs(sal["ig_sum"]!.GetValue<double>() - delta - gap) <= 1.6e-6, $"gap {gap} is not ig_sum − Δp");
            Assert.True(Math.Abs(gap) <= Math.Max(0.1 * Math.Abs(delta), 0.005), $"integrated gradients: Σ − Δp = {gap:0.0000} with Δp {delta:0.0000}");
        }
        Assert.Equal(2 * (2 + 2) + 1, r.Figures.Count);                  // t-SNE + per item: 2 Grad-CAM, occlusion, IG
        Assert.Contains(r.Figures, f => f.Id == "explain-gradcam-item1-conv2Dblock2");
        Assert.Contains("id=\"explain-ig-item0\"", File.ReadAllText(Path.Combine(run, "report.html")));
    }

    [Fact]
    public void ClassicalRunGetsShapleyAndPermutationImportanceAndSaysWhatDoesNotApply()
    {
        var config = $$"""
            name: explain_forest
            seed: 5
            data:
              corpus: ravdess
              root: {{fx.Ravdess}}
              labels: native
              split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
            features: {kind: mfcc_stats, sample_rate: 16000, duration: 1.0, n_mfcc: 20}
            model:
              name: random_forest
              params: {trees: 20}
            output:
              root: {{Path.Combine(fx.Root, "runs")}}
            """;
        var run = ExperimentRunner.Run(ConfigLoader.FromText(config, "explain_forest.yaml"), new RunOptions { BootstrapSamples = 0 }).Folder.Path;
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "model.zip")));
        var logged = new List<string>();
        var r = RunExplainer.Explain(run, Small, logged.Add);
        var s = r.Summary;
        Assert.Equal("random_forest", s["model"]!.GetValue<string>());
        Assert.Equal(40 + 1, Lines(Path.Combine(r.Folder, "permutation_importance.csv")).Length);  // 20 MFCC means and SDs
        Assert.Equal(40 + 1, Lines(Path.Combine(r.Folder, "shapley_summary.csv")).Length);
        var explained = s["shapley"]!["explained_items"]!.GetValue<int>();
        Assert.Equal(explained * 40 + 1, Lines(Path.Combine(r.Folder, "shapley.csv")).Length);
        Assert.InRange(s["shapley"]!["efficiency_gap_max_abs"]!.GetValue<double>(), 0, 1);
        // t-SNE and the maps do not apply: said in explanations.json, the log and the report; no file, no error.
        var na = s["not_applicable"]!.AsObject();
        Assert.Equal(["tsne", "gradcam", "occlusion", "integrated_gradients"], na.Select(p => p.Key));
        Assert.Contains("no learned embedding", na["tsne"]!.GetValue<string>());
        Assert.Contains(logged, l => l.StartsWith("tsne: does not apply", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(r.Folder, "tsne.csv")));
        Assert.Null(s["tsne"]);
        Assert.Equal(["explain-shapley-summary", "explain-shapley-item0", "explain-shapley-item1", "explain-permutation-importance"], r.Figures.Select(f => f.Id));
        var html = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("Not computed for this model: tsne: a classical model (ML.NET) has no learned embedding layer", html);
        Assert.DoesNotContain("tsne.csv", html);
        var e = Assert.Throws<ArgumentException>(() => RunExplainer.Explain(run, Small with { Checkpoint = "last" }));
        Assert.Contains("classical run with one model", e.Message);
    }

    [Fact]
    public void ItemsAreChosenAcrossClassesInSplitOrder()
    {
        Assert.Equal([1, 4, 0, 2], RunExplainer.ChooseItems([2, 0, 0, 2, 1], 4));
        Assert.Equal([1, 4, 0, 2, 3], RunExplainer.ChooseItems([2, 0, 0, 2, 1], 9));
        Assert.Empty(RunExplainer.ChooseItems([1, 1], 0));
    }

    [Fact]
    public void BadOptionsAreRefusedBeforeAnyWork()
    {
        var e = Assert.Throws<ArgumentException>(() => RunExplainer.Explain("/nonexistent", new ExplainOptions { Permutations = 1 }));
        Assert.Contains("--permutations", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => RunExplainer.Explain("/nonexistent"));
    }
}
