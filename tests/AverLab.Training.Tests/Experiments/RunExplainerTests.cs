using System.Text.Json.Nodes;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

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
            // The gap is recorded as Σ − Δp. On this trained CNN+Transformer it is −0.038 (16 steps) and −0.032 (64) with
            // Δp 0.086, the same with one path point per pass: not the midpoint rule's error. Completeness itself is
            // proven where the answer is known (Inference.Tests: SaliencyTests); this gap is an open question (report).
            Assert.Equal(sal["ig_sum"]!.GetValue<double>() - delta, gap, 5);
            Assert.True(Math.Abs(gap) < Math.Abs(delta) + 0.01, $"integrated gradients: Σ − Δp = {gap:0.0000} with Δp {delta:0.0000}");
        }
        Assert.Equal(2 * (2 + 2) + 1, r.Figures.Count);                  // t-SNE + per item: 2 Grad-CAM, occlusion, IG
        Assert.Contains(r.Figures, f => f.Id == "explain-gradcam-item1-conv2Dblock2");
        Assert.Contains("id=\"explain-ig-item0\"", File.ReadAllText(Path.Combine(run, "report.html")));
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
