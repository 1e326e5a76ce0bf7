using AverLab.Data.Corpora;
using AverLab.Data.Labels;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

namespace AverLab.Training.Tests.Experiments;

/// <summary>`evaluate --run R --data ROOT --corpus tess` (cross-corpus): the same audio under TESS's names
/// must get exactly the predictions it gets under RAVDESS's, the classes TESS lacks must be reported absent, and
/// labels a run has no class for must be dropped and counted.</summary>
[Collection("pipeline")]
public sealed class CrossCorpusTests(PipelineFixture fx)
{
    private static readonly Dictionary<string, string> TessEmotion = new()
    {
        ["01"] = "neutral", ["03"] = "happy", ["04"] = "sad", ["05"] = "angry", ["06"] = "fear", ["07"] = "disgust", ["08"] = "ps",
    };

    /// <summary>Every non-calm clip of the fixture's RAVDESS corpus copied under a TESS name (odd actors OAF, even YAF).</summary>
    private string TessCopy()
    {
        var root = Path.Combine(fx.Root, "tess-copy");
        if (Directory.Exists(root)) return root;
        var tmp = root + ".tmp";
        foreach (var wav in Directory.GetFiles(fx.Ravdess, "*.wav", SearchOption.AllDirectories))
        {
            var f = Path.GetFileNameWithoutExtension(wav).Split('-');
            if (!TessEmotion.TryGetValue(f[2], out var emotion)) continue; // calm: TESS has none
            var speaker = int.Parse(f[6]) % 2 == 1 ? "OAF" : "YAF";
            var dir = Path.Combine(tmp, $"{speaker}_{emotion}");
            Directory.CreateDirectory(dir);
            File.Copy(wav, Path.Combine(dir, $"{speaker}_w{f[3]}{f[4]}{f[5]}{f[6]}_{emotion}.wav"));
        }
        Directory.Move(tmp, root);
        return root;
    }

    [Fact]
    public void TheSameAudioUnderTessNamesGetsTheSamePredictions()
    {
        var run = ExperimentRunner.Run(ConfigLoader.FromText(fx.Config("cross", 2), "cross.yaml"), new RunOptions { BootstrapSamples = 0 }).Folder.Path;
        var own = CrossCorpusEvaluator.Evaluate(run, fx.Ravdess, CorpusKind.Ravdess, save: false);
        var tess = CrossCorpusEvaluator.Evaluate(run, TessCopy(), CorpusKind.Tess);

        var labels = own.Metrics.Labels;
        var calm = Array.IndexOf(labels, "calm");
        Assert.Empty(own.AbsentClasses);
        Assert.Equal(["calm"], tess.AbsentClasses);
        Assert.Empty(tess.Dropped);
        var calmItems = Enumerable.Range(0, labels.Length).Sum(j => own.Metrics.Confusion[calm, j]);
        Assert.Equal(own.Metrics.Count - calmItems, tess.Metrics.Count);
        for (var i = 0; i < labels.Length; i++)
            for (var j = 0; j < labels.Length; j++)
                Assert.Equal(i == calm ? 0 : own.Metrics.Confusion[i, j], tess.Metrics.Confusion[i, j]);
        Assert.NotNull(tess.SavedTo);
        Assert.Contains("\"absent_classes\"", File.ReadAllText(tess.SavedTo!));
        // Both protocols: strict above, and calm merged into neutral, named in the evaluation JSON.
        var merged = tess.CalmAsNeutral!;
        Assert.DoesNotContain("calm", merged.Labels);
        Assert.Equal(tess.Metrics.Count, merged.Count);
        int Neutral(string[] l) => Array.IndexOf(l, "neutral");
        Assert.True(merged.Confusion[Neutral(merged.Labels), Neutral(merged.Labels)] >= tess.Metrics.Confusion[Neutral(labels), Neutral(labels)]);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(tess.SavedTo!))!;
        Assert.Equal("strict", json["protocol"]!.GetValue<string>());
        Assert.Equal("calm_as_neutral", json["calm_as_neutral"]!["protocol"]!.GetValue<string>());
        Assert.Equal(merged.Accuracy, json["calm_as_neutral"]!["accuracy"]!.GetValue<double>());
        Assert.StartsWith(Path.Combine(run, "evaluations"), tess.SavedTo);
    }

    [Fact]
    public void CalmMergesIntoNeutralByName()
    {
        double[,] p = { { 0.1, 0.4, 0.3, 0.2 }, { 0.5, 0.1, 0.1, 0.3 } };
        var merged = CrossCorpusEvaluator.MergeCalmIntoNeutral([0, 3], p, ["calm", "happy", "neutral", "sad"])!.Value;
        Assert.Equal(["happy", "neutral", "sad"], merged.Classes);
        Assert.Equal([1, 2], merged.Labels); // calm items become neutral; the classes after calm move up one
        Assert.Equal(0.4, merged.Probabilities[0, 0], 12);
        Assert.Equal(0.4, merged.Probabilities[0, 1], 12);
        Assert.Equal(0.6, merged.Probabilities[1, 1], 12);
        Assert.Equal(0.3, merged.Probabilities[1, 2], 12);
        Assert.Null(CrossCorpusEvaluator.MergeCalmIntoNeutral([0], new double[1, 2], ["happy", "neutral"]));
    }

    [Fact]
    public void LabelsWithoutAClassOfTheRunAreDroppedAndCounted()
    {
        var items = TessCorpus.Read(TessCopy()).Items;
        var mapped = CrossCorpusEvaluator.ClassesByEmotion(["happy", "sad/fear"]).Apply(items);
        Assert.Equal(items.Count(i => i.NativeLabel is "happy" or "sad" or "fear"), mapped.Items.Count);
        Assert.All(mapped.Items, i => Assert.Equal(i.Item.NativeLabel == "happy" ? 0 : 1, i.Label));
        Assert.Equal(["tess:angry", "tess:disgust", "tess:neutral", "tess:ps"], mapped.Dropped.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(items.Count(i => i.NativeLabel == "ps"), mapped.Dropped["tess:ps"]);
        var e = Assert.Throws<InvalidOperationException>(() => CrossCorpusEvaluator.ClassesByEmotion(["happy", "bored"]));
        Assert.Contains("'bored'", e.Message);
    }
}
