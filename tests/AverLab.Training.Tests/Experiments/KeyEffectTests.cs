using AverLab.Data.Splits;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.FrontEnds;

namespace AverLab.Training.Tests.Experiments;

/// <summary>Issue 16, "no silent keys" (partial): every bindable key is walked; each key in <see cref="Effects"/> is
/// changed from the pipeline config and must change what the code builds from it (the split the splitter draws, the
/// feature extractor's own settings hash, the model options the runner binds) or be refused. Keys not proven here yet
/// are listed by name in <see cref="NotYetProven"/>, so a new key fails this test until it is placed in one or the other.</summary>
[Collection("pipeline")]
public sealed class KeyEffectTests(PipelineFixture fx)
{
    private enum Probe { Split, Features, Model }

    /// <summary>key → (--set assignments that change it, with any context it needs; what must change).</summary>
    private static readonly Dictionary<string, (string[] Sets, Probe Probe)> Effects = new()
    {
        ["seed"] = (["seed=6"], Probe.Split),
        ["data.corpus"] = (["data.corpus=folder"], Probe.Split),
        ["data.root"] = (["data.root=ROOT/Actor_01"], Probe.Split),
        ["data.modality"] = (["data.modality=video"], Probe.Split),
        ["data.labels"] = (["data.labels=simple5"], Probe.Split),
        ["data.label_map"] = (["data.labels=custom", "data.label_map={neutral: calm, calm: calm, happy: happy}"], Probe.Split),
        ["data.unmapped"] = (["data.labels=simple5", "data.unmapped=error"], Probe.Split),
        ["data.include"] = (["data.include=[happy, sad]"], Probe.Split),
        ["data.split.protocol"] = (["data.split.protocol=stratified"], Probe.Split),
        ["data.split.test_fraction"] = (["data.split.test_fraction=0.5"], Probe.Split),
        ["data.split.val_fraction"] = (["data.split.val_fraction=0"], Probe.Split),
        ["data.split.test_speakers"] = (["data.split.test_speakers=[03]"], Probe.Split),
        ["data.split.folds"] = (["data.split.protocol=speaker_kfold", "data.split.val_fraction=0", "data.split.folds=4"], Probe.Split),
        ["data.split.fold"] = (["data.split.protocol=speaker_kfold", "data.split.val_fraction=0", "data.split.folds=2", "data.split.fold=1"], Probe.Split),
        ["features.kind"] = (["features.kind=mfcc_deltas"], Probe.Features),
        ["features.sample_rate"] = (["features.sample_rate=8000"], Probe.Features),
        ["features.offset"] = (["features.offset=0.5"], Probe.Features),
        ["features.duration"] = (["features.duration=2"], Probe.Features),
        ["features.n_mfcc"] = (["features.n_mfcc=20"], Probe.Features),
        ["features.n_fft"] = (["features.n_fft=1024"], Probe.Features),
        ["features.win_length"] = (["features.win_length=400"], Probe.Features),
        ["features.hop_length"] = (["features.hop_length=256"], Probe.Features),
        ["features.n_mels"] = (["features.n_mels=64"], Probe.Features),
        ["features.fmax"] = (["features.fmax=6000"], Probe.Features),
        ["features.window"] = (["features.window=hamming"], Probe.Features),
        ["features.frames"] = (["features.kind=faces", "features.frames=8"], Probe.Features),
        ["features.image_size"] = (["features.kind=faces", "features.image_size=32"], Probe.Features),
        ["features.grayscale"] = (["features.kind=faces", "features.grayscale=true"], Probe.Features),
        ["features.no_face"] = (["features.kind=faces", "features.no_face=center"], Probe.Features),
        ["features.backbone_weights"] = (["features.kind=av_stats", "features.backbone_weights=/nonexistent.safetensors"], Probe.Features),
        ["features.deltas"] = (["features.kind=mfcc_stats", "features.deltas=true"], Probe.Features),
        ["model.name"] = (["model.name=feature_mlp", "model.params={}"], Probe.Model),
        ["model.params"] = (["model.params={transformer_layers: 2}"], Probe.Model),
        ["training.device"] = (["training.device=cuda"], Probe.Model),
    };

    /// <summary>Keys whose effect this test does not prove yet (their consumers: trainer, optimizer, scheduler, callbacks,
    /// augmentation, search, run folder). Shrink this list; never grow it without a reason.</summary>
    private static readonly HashSet<string> NotYetProven =
    [
        "name", "features.normalize", "training.epochs", "training.batch_size", "training.optimizer.name", "training.optimizer.lr",
        "training.optimizer.momentum", "training.optimizer.weight_decay", "training.optimizer.nesterov", "training.optimizer.betas",
        "training.scheduler.name", "training.scheduler.step_size", "training.scheduler.gamma", "training.scheduler.milestones",
        "training.scheduler.max_lr", "training.scheduler.warmup_epochs", "training.scheduler.per_batch", "training.class_weights",
        "training.grad_clip", "training.label_smoothing", "training.threads", "augmentation.audio",
        "augmentation.image", "callbacks", "search.strategy", "search.trials", "search.workers", "search.reduction_factor",
        "search.min_epochs", "search.metric", "search.mode", "search.space", "output.root",
        // Act on the data after features are computed, which these probes do not load: Features/FeaturePipelineTests
        // proves each (components, variance, SMOTE's effect on the training split).
        "features.pca.components", "features.pca.variance", "features.smote.k_neighbors",
    ];

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var (key, p) in ConfigBinder.BindableProperties(type))
        {
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (t.IsClass && t != typeof(string) && !t.IsGenericType && !t.IsArray && IsConfigSection(t))
                foreach (var k in Keys(t, prefix + key + ".")) yield return k;
            else yield return prefix + key;
        }
    }

    /// <summary>Config sections live in Training's configuration namespace, except the features section, which sits
    /// with the front ends (inference reads it from model.json).</summary>
    private static bool IsConfigSection(Type t) =>
        t.Namespace == typeof(ExperimentConfig).Namespace || t.Namespace == typeof(FeatureConfig).Namespace;

    [Fact]
    public void EveryKeyIsProvenOrListed()
    {
        var all = Keys(typeof(ExperimentConfig), "").ToHashSet();
        Assert.Empty(all.Except(Effects.Keys).Except(NotYetProven));
        Assert.Empty(Effects.Keys.Concat(NotYetProven).Except(all));
        Assert.Empty(Effects.Keys.Intersect(NotYetProven));
    }

    private string Observe(Probe probe, string[] sets)
    {
        try
        {
            var loaded = ConfigLoader.FromText(fx.Config("keys", 1), "keys.yaml", sets.Select(s => s.Replace("ROOT", fx.Ravdess)).ToArray());
            var c = loaded.Config;
            switch (probe)
            {
                case Probe.Split:
                    var plan = loaded.At(() => ExperimentData.ReadAndSplit(c));
                    return SplitManifest.Hash(plan.Split) + "|" + string.Join(",", plan.Labels.Classes) + "|" + plan.Mapping.Items.Count;
                case Probe.Features:
                    var front = loaded.At(() => ExperimentData.CreateFrontEnd(c));
                    return string.Join("|", front.Extras.Prepend(front.Primary).Select(x => x.Name + ":" + x.ConfigHash)) + "|" + front.Unrolled;
                default:
                    var spec = ModelRegistry.Get(c.Model.Name);
                    var front2 = ExperimentData.CreateFrontEnd(c);
                    var options = ExperimentRunner.BindModelOptions(spec, c, 8, [40, 101], front2.Primary);
                    return spec.Name + ModelCard.ToJson(options).ToJsonString();
            }
        }
        catch (Exception e) when (e is ConfigException or InvalidOperationException or ArgumentException or IOException)
        {
            return "refused: " + e.Message;
        }
    }

    [Fact]
    public void EveryProvenKeyChangesWhatIsBuilt()
    {
        var baseline = Enum.GetValues<Probe>().ToDictionary(p => p, p => Observe(p, []));
        Assert.All(baseline.Values, v => Assert.DoesNotContain("refused", v));
        var silent = Effects.Where(kv => Observe(kv.Value.Probe, kv.Value.Sets) == baseline[kv.Value.Probe]).Select(kv => kv.Key).ToList();
        Assert.True(silent.Count == 0, "keys without an effect: " + string.Join(", ", silent));
    }
}
