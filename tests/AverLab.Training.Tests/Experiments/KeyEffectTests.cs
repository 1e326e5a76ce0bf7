using AverLab.Data.Splits;
using AverLab.Models;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.FrontEnds;
using AverLab.Tests.Support;
using AverLab.Runs;

namespace AverLab.Training.Tests.Experiments;

/// <summary>No silent keys: every bindable key is walked; each key in <see cref="Effects"/> is changed from
/// the pipeline config and must change what the code builds from it (the split the splitter draws, the feature
/// extractor's own settings hash, the model options the runner binds, or the weights a short training produces and
/// where its run folder goes) or be refused. Keys not proven here yet
/// are listed by name in <see cref="NotYetProven"/>, so a new key fails this test until it is placed in one or the other.</summary>
[Collection("pipeline")]
public sealed class KeyEffectTests(PipelineFixture fx)
{
    private enum Probe { Split, Features, Model, Data, Reference, Train }

    /// <summary>Vector features for the PCA and SMOTE probes (declared before the tables that use them); no validation
    /// side, so the training split holds three speakers and its smallest class (neutral, 3 clips) has more than one
    /// neighbour for SMOTE to choose from.</summary>
    private static readonly string[] VectorFeatures = ["features.kind=mfcc_stats", "data.split.val_fraction=0"];

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
        ["data.split.exclude_speakers"] = (["data.split.exclude_speakers=[03]"], Probe.Split),
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
        ["features.align"] = (["features.kind=faces", "features.align=landmarks"], Probe.Features),
        ["features.landmarks"] = (["features.kind=faces", "features.landmarks=true"], Probe.Features),
        ["features.denoise"] = (["features.denoise=spectral_gate"], Probe.Features),
        ["features.denoise_n_std"] = (["features.denoise=spectral_gate", "features.denoise_n_std=2.5"], Probe.Features),
        ["features.denoise_prop_decrease"] = (["features.denoise=spectral_gate", "features.denoise_prop_decrease=0.5"], Probe.Features),
        ["features.denoise_noise_clip"] = (["features.denoise=spectral_gate", "features.denoise_noise_clip=/nonexistent.wav"], Probe.Features),
        ["features.trim_top_db"] = (["features.trim_top_db=30"], Probe.Features),
        ["features.deltas"] = (["features.kind=mfcc_stats", "features.deltas=true"], Probe.Features),
        // Probe.Data loads the features of the split (MFCC statistics: vectors) and fingerprints the fitted transform
        // and the training examples it produces: PCA's projected width, SMOTE's synthetic rows.
        ["features.pca.components"] = ([.. VectorFeatures, "features.pca.components=3"], Probe.Data),
        ["features.pca.variance"] = ([.. VectorFeatures, "features.pca.variance=0.5"], Probe.Data),
        ["features.smote.k_neighbors"] = ([.. VectorFeatures, "features.smote.k_neighbors=1"], Probe.Data),
        // Probe.Reference renders cv.md (CrossValidation.Markdown) of a fixed one-fold summary with the config's reference.
        ["reference.accuracy"] = (["reference.source=paper", "reference.protocol=random 80/20", "reference.accuracy=0.8"], Probe.Reference),
        ["reference.protocol"] = (["reference.source=paper", "reference.accuracy=0.8", "reference.protocol=random 80/20"], Probe.Reference),
        ["reference.source"] = (["reference.accuracy=0.8", "reference.protocol=random 80/20", "reference.source=paper"], Probe.Reference),
        ["model.name"] = (["model.name=feature_mlp", "model.params={}"], Probe.Model),
        ["model.params"] = (["model.params={transformer_layers: 2}"], Probe.Model),
        ["training.device"] = (["training.device=cuda"], Probe.Model),
        // Probe.Train trains a small MLP for 2 epochs and compares the trained weights (plus the run folder's place and
        // its recorded thread count); a key proven this way changed what training produced.
        ["name"] = (["name=keys-renamed"], Probe.Train),
        ["output.root"] = (["output.root=ROOT/../runs-elsewhere"], Probe.Train),
        ["features.normalize"] = (["features.normalize=false"], Probe.Train),
        ["features.speaker_norm"] = (["features.speaker_norm=true"], Probe.Train),
        ["training.epochs"] = (["training.epochs=1"], Probe.Train),
        ["training.batch_size"] = (["training.batch_size=4"], Probe.Train),
        ["training.optimizer.name"] = (["training.optimizer.name=adam"], Probe.Train),
        ["training.optimizer.lr"] = (["training.optimizer.lr=0.05"], Probe.Train),
        ["training.optimizer.momentum"] = (["training.optimizer.momentum=0"], Probe.Train),
        ["training.optimizer.weight_decay"] = (["training.optimizer.weight_decay=0.1"], Probe.Train),
        ["training.optimizer.nesterov"] = (["training.optimizer.nesterov=true"], Probe.Train),
        ["training.optimizer.betas"] = (["training.optimizer.name=adam", "training.optimizer.betas=[0.5, 0.9]"], Probe.Train),
        ["training.scheduler.name"] = (["training.scheduler.name=exponential"], Probe.Train),
        ["training.scheduler.step_size"] = (["training.scheduler.name=step", "training.scheduler.step_size=1"], Probe.Train),
        ["training.scheduler.gamma"] = (["training.scheduler.name=exponential", "training.scheduler.gamma=0.5"], Probe.Train),
        ["training.scheduler.milestones"] = (["training.scheduler.name=multi_step", "training.scheduler.milestones=[1]"], Probe.Train),
        ["training.scheduler.max_lr"] = (["training.scheduler.name=one_cycle", "training.scheduler.max_lr=0.5"], Probe.Train),
        ["training.scheduler.warmup_epochs"] = (["training.scheduler.name=linear", "training.scheduler.warmup_epochs=1"], Probe.Train),
        ["training.scheduler.per_batch"] = (["training.scheduler.name=exponential", "training.scheduler.per_batch=true"], Probe.Train),
        ["training.class_weights"] = (["training.class_weights=balanced"], Probe.Train),
        ["training.grad_clip"] = (["training.grad_clip=0.001"], Probe.Train),
        ["training.label_smoothing"] = (["training.label_smoothing=0.3"], Probe.Train),
        ["training.threads"] = (["training.threads=2"], Probe.Train),
        ["augmentation.audio"] = (["augmentation.audio=[{name: gain, p: 1, range: [-6, 6]}]"], Probe.Train),
        ["augmentation.image"] = (["features.kind=mfcc_deltas", "augmentation.image=[{name: gaussian_noise, p: 1, range: [0.05, 0.1]}]"], Probe.Train),
        ["callbacks"] = (["callbacks=[{name: model_checkpoint, monitor: train_loss, mode: max}]"], Probe.Train), // keeps epoch 1's weights
    };

    /// <summary>Keys whose probe needs a setting of another key to bite: the baseline they are compared with has
    /// that setting too (e.g. scheduler.gamma is compared between two exponential schedules).</summary>
    private static readonly Dictionary<string, string[]> Context = new()
    {
        ["training.optimizer.betas"] = ["training.optimizer.name=adam"],
        ["training.scheduler.step_size"] = ["training.scheduler.name=step"],
        ["training.scheduler.gamma"] = ["training.scheduler.name=exponential"],
        ["training.scheduler.milestones"] = ["training.scheduler.name=multi_step", "training.scheduler.milestones=[5]"], // past the 2 epochs: no decay
        ["training.scheduler.max_lr"] = ["training.scheduler.name=one_cycle"],
        ["training.scheduler.warmup_epochs"] = ["training.scheduler.name=linear"],
        ["training.scheduler.per_batch"] = ["training.scheduler.name=exponential"],
        ["features.pca.components"] = [.. VectorFeatures, "features.pca.components=5"],
        ["features.pca.variance"] = [.. VectorFeatures, "features.pca.variance=0.99"],
        ["features.smote.k_neighbors"] = [.. VectorFeatures, "features.smote.k_neighbors=5"],
        ["augmentation.image"] = ["features.kind=mfcc_deltas"], // image transforms act on 3-D examples only
        ["reference.accuracy"] = ["reference.source=paper", "reference.protocol=random 80/20"],
        ["reference.protocol"] = ["reference.source=paper", "reference.accuracy=0.8"],
        ["reference.source"] = ["reference.accuracy=0.8", "reference.protocol=random 80/20"],
    };


    /// <summary>What Probe.Train adds to the pipeline config: a small MLP on the MFCCs, two epochs, one thread.</summary>
    private static readonly string[] TrainBase = ["model.name=feature_mlp", "model.params={hidden_sizes: [16]}", "training.epochs=2", "training.threads=1"];

    /// <summary>Keys whose effect this test does not prove key by key: the sweep's (exercised by Search/SearchTests and the
    /// sweep tests in ExperimentRunnerTests, not one key at a time) and the cluster's. Shrink this list; never grow it
    /// without a reason.</summary>
    private static readonly HashSet<string> NotYetProven =
    [
        "search.strategy", "search.trials", "search.workers", "search.reduction_factor",
        "search.min_epochs", "search.metric", "search.mode", "search.space",
        // Cluster keys: exercised end to end under mpirun and on a local Slurm cluster (Train.Tests/Cluster), and the
        // sbatch lines they write by EmitOnlyTests; not probed here one key at a time.
        "training.distributed", "training.bucket_mb", "search.backend", "search.slurm.cpus_per_task", "search.slurm.memory",
        "search.slurm.time", "search.slurm.partition", "search.slurm.job_name", "search.slurm.extra", "search.slurm.setup",
        "search.slurm.retries", "search.slurm.poll_seconds", "search.slurm.command",
        // Read by `cv --nested` only, not by a training: Train.Tests/NestedCvTests runs it end to end (inner_folds →
        // inner runs per candidate, metric → the recorded scores and the choice, candidates → the settings trained).
        "nested_cv.inner_folds", "nested_cv.metric", "nested_cv.candidates",
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
            string[] all = probe == Probe.Train ? [.. TrainBase, .. sets] : sets;
            var loaded = ConfigLoader.FromText(fx.Config("keys", 1), "keys.yaml", all.Select(s => s.Replace("ROOT", fx.Ravdess)).ToArray());
            var c = loaded.Config;
            switch (probe)
            {
                case Probe.Train:
                    return TrainedFingerprint(ExperimentRunner.Run(loaded, new RunOptions { BootstrapSamples = 0 }).Folder);
                case Probe.Split:
                    var plan = loaded.At(() => ExperimentData.ReadAndSplit(c));
                    return SplitManifest.Hash(plan.Split) + "|" + string.Join(",", plan.Labels.Classes) + "|" + plan.Mapping.Items.Count;
                case Probe.Data:
                    var data = loaded.At(() => ExperimentData.Load(c, Path.Combine(fx.Root, "key-cache")));
                    return DataFingerprint(data);
                case Probe.Reference:
                    var fold = new CrossValidation.FoldResult(0, "run", 0.5, 0.5, 0.5, new long[,] { { 1, 1 }, { 1, 1 } });
                    return CrossValidation.Markdown(new CrossValidation.Summary("cv", CrossValidation.Protocol.Speaker, ["a", "b"], [fold], c.Reference));
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

    /// <summary>The shape of the examples, the PCA kept, SMOTE's counts per class and a hash of every training example.</summary>
    private static string DataFingerprint(ExperimentData data)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        for (var i = 0; i < data.Train.Count; i++)
        {
            var e = data.Train.Get(i);
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(e.Data.AsSpan()));
            sha.AppendData(BitConverter.GetBytes(e.Label));
        }
        var smote = data.SmoteCounts is { } sc ? string.Join(",", sc.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")) : "none";
        return $"shape {string.Join("x", data.FeatureShape)}|train {data.Train.Count}|smote {smote}|{Convert.ToHexString(sha.GetHashAndReset())}";
    }

    /// <summary>Where the run went (experiment folder), the threads it recorded, and a hash of the trained weights it
    /// would test (best checkpoint if any, else last), read back through the model card.</summary>
    private string TrainedFingerprint(RunFolder folder)
    {
        var card = ModelCard.Load(folder.ModelJson);
        using var model = card.CreateModel();
        ModelFile.LoadInto(model, File.Exists(folder.BestCheckpoint) ? folder.BestCheckpoint : folder.LastCheckpoint);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var (name, t) in model.state_dict())
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.to(TorchSharp.torch.ScalarType.Float32).data<float>().ToArray().AsSpan()));
        }
        var threads = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(folder.RunJson))!["threads"]!.ToString();
        return $"{Path.GetRelativePath(fx.Root, Path.GetDirectoryName(folder.Path)!)}|threads {threads}|{Convert.ToHexString(sha.GetHashAndReset())}";
    }

    /// <summary>Fingerprints already observed, by fixture, probe and --set assignments: a baseline is built once per
    /// process, whichever key asks first.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Observed = new(StringComparer.Ordinal);

    private string Baseline(Probe p, string[] context) =>
        Observed.GetOrAdd(fx.Root + "|" + p + "|" + string.Join(";", context), _ => Observe(p, context));

    public static TheoryData<string> KeysBuiltWithoutTraining() => new(Effects.Where(kv => kv.Value.Probe != Probe.Train).Select(kv => kv.Key).Order(StringComparer.Ordinal));
    public static TheoryData<string> KeysProvenByTraining() => new(Effects.Where(kv => kv.Value.Probe == Probe.Train).Select(kv => kv.Key).Order(StringComparer.Ordinal));

    /// <summary>The pipeline config itself is accepted by every probe that does not train (the training probe's baseline
    /// is checked by each key it proves).</summary>
    [Fact]
    public void EveryProbeAcceptsItsBaseline() =>
        Assert.All(Enum.GetValues<Probe>().Where(p => p != Probe.Train).Select(p => Baseline(p, [])), v => Assert.DoesNotContain("refused", v));

    /// <summary>Same config, same seed: the same trained fingerprint (else every key would look effective).</summary>
    [Fact]
    [Trait("Category", Category.Slow)]
    public void TrainingTheSameConfigTwiceGivesTheSameFingerprint() =>
        Assert.Equal(Baseline(Probe.Train, []), Observe(Probe.Train, []));

    /// <summary>Keys whose effect shows in the split, the features, the data pipeline, the model options or cv.md.</summary>
    [Theory]
    [MemberData(nameof(KeysBuiltWithoutTraining))]
    public void KeyChangesWhatIsBuilt(string key) => AssertChanges(key);

    /// <summary>Keys whose effect shows only in what a short training produces (weights, run folder, threads).</summary>
    [Theory]
    [MemberData(nameof(KeysProvenByTraining))]
    [Trait("Category", Category.Slow)]
    public void KeyChangesWhatTrainingProduces(string key) => AssertChanges(key);

    private void AssertChanges(string key)
    {
        var (sets, probe) = Effects[key];
        var before = Baseline(probe, Context.GetValueOrDefault(key, []));
        Assert.DoesNotContain("refused", before);
        var after = Observe(probe, sets);
        // These keys' probes show the effect itself: a refusal would only show that the value was read.
        if (probe is Probe.Data or Probe.Reference || key == "augmentation.image") Assert.DoesNotContain("refused", after);
        Assert.True(after != before, $"{key} has no effect: {string.Join(" ", sets)} gives what the baseline gives ({before})");
    }
}
