using System.Security.Cryptography;
using System.Text;
using AverLab.Data.Corpora;
using AverLab.Data.Features;
using AverLab.Data.Labels;
using AverLab.Data.Loading;
using AverLab.Data.Splits;
using AverLab.Training.Configuration;
using AverLab.FrontEnds;

namespace AverLab.Training.Experiments;

/// <summary>A config's data, ready for training: corpus read (bad items reported and skipped), labels mapped
/// (drops counted), split (speaker leaks refused), features computed once into the cache, and a dataset per side.</summary>
public sealed class ExperimentData
{
    public required LabelSpace Labels { get; init; }
    public required DataSplit Split { get; init; }
    public required IDataset Train { get; init; }
    public required IDataset? Validation { get; init; }
    public required IDataset Test { get; init; }
    public required IReadOnlyList<LabeledItem> TestItems { get; init; }
    public required long[] FeatureShape { get; init; }
    public required IReadOnlyList<SkippedItem> Skipped { get; init; }
    public required IReadOnlyDictionary<string, int> DroppedLabels { get; init; }
    /// <summary>SHA-256 over (item id, content key, label) of every item used: two runs on the same data agree.</summary>
    public required string ManifestHash { get; init; }
    public required IFeatureExtractor Extractor { get; init; }
    /// <summary>The whole front end (null for FER pixels, which are read from the CSV).</summary>
    public FrontEnd? FrontEnd { get; init; }
    /// <summary>Shapes of the extra inputs of one example (the fusion model's frames), empty for one-input models.</summary>
    public IReadOnlyList<long[]> ExtraShapes { get; init; } = [];
    /// <summary>Standardization fitted on the training split (null when features.normalize is off).</summary>
    public FeatureScaler? Scaler { get; init; }
    /// <summary>Per-speaker standardization (null when features.speaker_norm is off).</summary>
    public SpeakerNormalizer? Speakers { get; init; }
    /// <summary>Principal components fitted on the standardized training split (features.pca), applied to every side.</summary>
    public PcaProjection? Pca { get; init; }
    /// <summary>features.smote: per class name, the training examples before and the synthetic ones added (null when off).</summary>
    public IReadOnlyDictionary<string, (int Before, int Added)>? SmoteCounts { get; init; }
    /// <summary>The loader hook that augments training examples (null when augmentation is empty).</summary>
    public Func<Example, Random, Example>? TrainAugment { get; init; }

    /// <summary>The corpus read (bad items reported and skipped), labels mapped and split: everything before features,
    /// what --dry-run checks first. Fold overrides data.split.fold. A config value the data rejects (a test speaker the
    /// corpus lacks) is a <see cref="ConfigValueException"/> at its key; a split that leaves a side empty that the run
    /// needs is an error naming the corpus root.</summary>
    public static CorpusPlan ReadAndSplit(ExperimentConfig config, int? fold = null)
    {
        var d = config.Data;
        var read = ReadCorpus(d.Corpus, d.Root);
        var items = read.Items.Where(i => Wanted(i, d)).ToList();
        if (d.Include.Count > 0)
            items = items.Where(i => d.Include.Contains(i.NativeLabel, StringComparer.OrdinalIgnoreCase)).ToList();
        var space = d.Labels switch
        {
            LabelSpaceKind.Native => LabelSpace.NativeOf(read.Corpus),
            LabelSpaceKind.Unified => LabelSpace.Unified,
            LabelSpaceKind.Simple5 => LabelSpace.Simplified5,
            LabelSpaceKind.Custom => LabelSpace.FromMap("custom", d.LabelMap),
            _ => throw new ArgumentOutOfRangeException(nameof(config), d.Labels, "unknown label space"),
        };
        if (d.Include.Count > 0 && d.Labels == LabelSpaceKind.Native)
            space = LabelSpace.Native(read.Corpus, space.Classes.Where(c => d.Include.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList());
        var mapping = space.Apply(items, d.Unmapped == UnmappedLabels.Drop ? UnmappedPolicy.Drop : UnmappedPolicy.Reject);
        if (d.Split.ExcludeSpeakers.Count > 0) mapping = mapping with { Items = WithoutSpeakers(mapping.Items, d.Split.ExcludeSpeakers) };
        if (mapping.Items.Count == 0)
            throw new InvalidOperationException($"{d.Root}: no usable {d.Modality.ToString().ToLowerInvariant()} items for corpus {read.Corpus} ({read.Report})");

        var seed = unchecked((int)config.Seed);
        var s = d.Split;
        var split = s.Protocol switch
        {
            SplitProtocol.SpeakerHoldout when s.TestSpeakers.Count > 0 => TestSpeakerSplit(mapping.Items, s, seed),
            SplitProtocol.SpeakerHoldout => Splitter.SpeakerHoldOut(mapping.Items, s.TestFraction, s.ValFraction, seed),
            SplitProtocol.SpeakerKfold => Splitter.SpeakerKFold(mapping.Items, s.Folds, seed, validation: s.ValFraction > 0)[fold ?? s.Fold],
            SplitProtocol.Stratified => Splitter.StratifiedRandom(mapping.Items, s.TestFraction, s.ValFraction, seed),
            SplitProtocol.StratifiedKfold => Splitter.StratifiedKFold(mapping.Items, s.Folds, seed, validation: s.ValFraction > 0)[fold ?? s.Fold],
            SplitProtocol.Usage => Splitter.Preset(mapping.Items),
            _ => throw new ArgumentOutOfRangeException(nameof(config), s.Protocol, "unknown split protocol"),
        };
        var plan = new CorpusPlan(read, space, mapping, split);
        CheckSides(config, plan);
        return plan;
    }

    /// <summary>Reads a corpus of the given kind (bad items reported in the result, never thrown).</summary>
    public static CorpusReadResult ReadCorpus(CorpusKind corpus, string root) => corpus switch
    {
        CorpusKind.Ravdess => RavdessCorpus.Read(root),
        CorpusKind.CremaD => CremaDCorpus.Read(root),
        CorpusKind.Savee => SaveeCorpus.Read(root),
        CorpusKind.Tess => TessCorpus.Read(root),
        CorpusKind.Fer2013 => File.Exists(root) ? Fer2013Corpus.ReadCsv(root) : Fer2013Corpus.ReadFolder(root),
        CorpusKind.Folder => FolderCorpus.Read(root),
        CorpusKind.Manifest => ManifestCorpus.Read(root),
        _ => throw new ArgumentOutOfRangeException(nameof(corpus), corpus, "unknown corpus"),
    };

    internal static bool WantedFor(CorpusItem item, DataConfig d) => Wanted(item, d);

    /// <summary>The items of every speaker but the named ones (data.split.exclude_speakers): a name matches a speaker id
    /// exactly or as its suffix after the corpus prefix, as test_speakers; one that matches none (or several) is an error
    /// listing the corpus's speakers.</summary>
    private static List<LabeledItem> WithoutSpeakers(IReadOnlyList<LabeledItem> items, IReadOnlyCollection<string> names)
    {
        const string key = "data.split.exclude_speakers";
        if (items.FirstOrDefault(i => i.Item.Speaker == null) is { } none)
            throw new ConfigValueException(key, $"{none.Item.Path} has no speaker: speakers can only be excluded when every item has one");
        var speakers = items.Select(i => i.Item.Speaker!).Distinct().Order(StringComparer.Ordinal).ToList();
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var matches = speakers.Where(s => s == name || s.EndsWith("-" + name, StringComparison.Ordinal)).ToList();
            if (matches.Count != 1)
                throw new ConfigValueException(key, $"speaker '{name}' {(matches.Count == 0 ? "is not in the corpus" : $"is ambiguous ({string.Join(", ", matches)})")}; its speakers: {string.Join(", ", speakers)}");
            excluded.Add(matches[0]);
        }
        return items.Where(i => !excluded.Contains(i.Item.Speaker!)).ToList();
    }

    private static DataSplit TestSpeakerSplit(IReadOnlyList<LabeledItem> items, SplitConfig s, int seed)
    {
        try
        {
            return Splitter.SpeakerHoldOut(items, s.TestSpeakers, s.ValFraction, seed);
        }
        catch (ArgumentException e)
        {
            throw new ConfigValueException("data.split.test_speakers", e.Message, e);
        }
    }

    /// <summary>Training and test must hold items; validation must too when the config relies on it (val_fraction
    /// above 0, a callback watching a val_ metric, or FER2013's CSV, whose Usage column defines PublicTest rows):
    /// otherwise validation loss would be NaN every epoch and no best checkpoint would ever be written.</summary>
    private static void CheckSides(ExperimentConfig config, CorpusPlan plan)
    {
        var d = config.Data;
        var (train, val, test) = (plan.Split.Train.Count, plan.Split.Validation.Count, plan.Split.Test.Count);
        if (train == 0 || test == 0)
            throw new InvalidOperationException($"{d.Root}: the {ConfigBinder.SnakeCase(d.Split.Protocol.ToString())} split left {train} training and {test} test items");
        if (val > 0) return;
        var watcher = config.Callbacks.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Monitor.StartsWith("val_", StringComparison.Ordinal));
        var ferCsv = plan.Mapping.Items.Any(i => i.Item.Details is Fer2013Row) && d.Split.Protocol == SplitProtocol.Usage;
        var wanted = d.Split.Protocol != SplitProtocol.Usage && d.Split.ValFraction > 0;
        if (watcher.c == null && !ferCsv && !wanted) return;
        var why = watcher.c != null ? $"callbacks[{watcher.i}] ({watcher.c.Name}) monitors {watcher.c.Monitor}"
            : ferCsv ? "the CSV has no usable PublicTest rows (Usage), FER2013's validation side"
            : $"val_fraction is {d.Split.ValFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        throw new InvalidOperationException($"{d.Root}: the {ConfigBinder.SnakeCase(d.Split.Protocol.ToString())} split left 0 validation items ({train} training, {test} test), but {why}: validation loss would be NaN and no best checkpoint written");
    }

    /// <summary>Reads the corpus named by the config. Fold overrides data.split.fold (k-fold cross-validation).</summary>
    public static ExperimentData Load(ExperimentConfig config, string cacheRoot, IProgress<FeatureCacheProgress>? progress = null, int? fold = null)
    {
        var d = config.Data;
        var plan = ReadAndSplit(config, fold);
        var (read, space, mapping, split) = (plan.Read, plan.Labels, plan.Mapping, plan.Split);

        CheckFeatures(config, plan);
        if (config.Features.Kind == FeatureKind.Pixels)
            return FromPixels(config, space, split, mapping, read.Report.Skipped);
        var front = CreateFrontEnd(config);
        var extractor = front.Primary;
        var paths = mapping.Items.Select(i => i.Item.Path).ToList();
        var cache = new FeatureCache(cacheRoot, extractor);
        var fill = cache.Fill(paths, progress: progress);
        var extraCaches = front.Extras.Select(x => new FeatureCache(cacheRoot, x)).ToList();
        var extraFailed = extraCaches.SelectMany(c => c.Fill(paths, progress: progress).Failed).ToList();
        var (train, val, test) = split.Select(mapping.Items);
        var trainSet = new FeatureDataset(cache, train, extraCaches);
        var testSet = new FeatureDataset(cache, test, extraCaches);
        var valSet = val.Count > 0 ? new FeatureDataset(cache, val, extraCaches) : null;
        if (trainSet.Count == 0 || testSet.Count == 0)
            throw new InvalidOperationException($"{d.Root}: the split left {trainSet.Count} training and {testSet.Count} test items with features");
        var skipped = read.Report.Skipped.Concat(fill.Failed).Concat(extraFailed).ToList();
        // Pixels and face crops are already in [0, 1]; standardization is for audio features (Example.Data only:
        // the fusion model's audio is its Data, its frames an Extra). av_stats are standardized per value.
        // Per-speaker statistics from every item of each speaker (features only, never labels), then the scaler
        // fitted on the speaker-normalised training split.
        var speakers = config.Features.SpeakerNorm ? SpeakerNormalizer.Fit(new FeatureDataset(cache, mapping.Items, extraCaches)) : null;
        IDataset BySpeaker(IDataset set) => speakers?.Apply(set) ?? set;
        var scaler = config.Features.Normalize && config.Features.Kind is FeatureKind.Mfcc or FeatureKind.MfccDeltas or FeatureKind.Handcrafted
            or FeatureKind.FacesAudio or FeatureKind.AvStats ? FeatureScaler.Fit(BySpeaker(trainSet)) : null;
        // PCA after the scaler, fitted on the training split's rows only (FeatureConfig refuses it for non-vector kinds).
        var pca = config.Features.Pca is { } pc ? FitPca(Rows(scaler?.Apply(BySpeaker(trainSet)) ?? BySpeaker(trainSet)), pc) : null;
        IDataset Scale(IDataset set)
        {
            var scaled = scaler?.Apply(BySpeaker(set)) ?? BySpeaker(set);
            if (pca != null) scaled = new ProjectedDataset(scaled, pca);
            return front.Unrolled ? new UnrolledDataset(scaled) : scaled;
        }
        var augment = new Augmentation.AugmentationPipeline(config.Augmentation);
        IDataset trainData = Scale(trainSet);
        IReadOnlyDictionary<string, (int, int)>? smoteCounts = null;
        if (config.Features.Smote is { } sm) (trainData, smoteCounts) = Oversample(trainData, sm, unchecked((int)config.Seed), space);
        Func<Example, Random, Example>? hook = null;
        // CheckFeatures (above) refused every augmentation the front end cannot take, at its config line: clip front
        // ends take image augmentations for faces only, waveform ones need the mfcc front end.
        if (front.Unrolled || front.Extras.Count > 0 || config.Features.Kind == FeatureKind.AvStats)
        {
            if (!augment.IsEmpty) hook = augment.Image;
        }
        else if (augment.NeedsWaveform)
        {
            var clip = (ClipMfccExtractor)extractor;
            // Raw clips in memory; the hook perturbs the waveform, then computes and scales the features.
            trainData = new RawAudioDataset(trainSet.Items, clip);
            hook = (e, rng) =>
            {
                var wave = augment.Waveform(e.Data, clip.Settings.SampleRate, rng);
                var f = clip.ExtractSamples(wave);
                var n = speakers?.Transform(f.Data, e.Speaker) ?? f.Data;
                var x = scaler?.Transform(n) ?? n;
                return new Example(augment.Features(x, (int)f.Shape[0], rng), f.Shape, e.Label);
            };
        }
        else if (!augment.IsEmpty)
            hook = (e, rng) => augment.Image(e.Shape.Length == 2 ? e with { Data = augment.Features(e.Data, (int)e.Shape[0], rng) } : e, rng);
        return new ExperimentData
        {
            Labels = space, Split = split, Train = trainData, Validation = valSet is null ? null : Scale(valSet), Test = Scale(testSet),
            TestItems = testSet.Items, Scaler = scaler, Speakers = speakers, TrainAugment = hook, Pca = pca, SmoteCounts = smoteCounts,
            FeatureShape = pca != null ? trainData.Get(0).Shape : front.Unrolled ? trainSet.Get(0).Shape[1..] : trainSet.Get(0).Shape, Skipped = skipped,
            ExtraShapes = extraCaches.Count == 0 ? [] : trainSet.Get(0).Extra.Select(x => x.Shape).ToList(), FrontEnd = front, DroppedLabels = mapping.Dropped,
            ManifestHash = Hash(cache, mapping.Items.Where(i => cache.TryGet(i.Item.Path, out _))), Extractor = extractor,
        };
    }

    private static List<float[]> Rows(IDataset set) => Enumerable.Range(0, set.Count).Select(i => set.Get(i).Data).ToList();

    private static PcaProjection FitPca(List<float[]> rows, PcaConfig pc)
    {
        try
        {
            return PcaProjection.Fit(rows, pc.Components, pc.Variance);
        }
        catch (ArgumentException e)
        {
            throw new ConfigValueException(pc.Components > 0 ? "features.pca.components" : "features.pca.variance", e.Message, e);
        }
    }

    /// <summary>The training examples (standardized and projected) followed by SMOTE's synthetic ones.</summary>
    private static (IDataset, IReadOnlyDictionary<string, (int, int)>) Oversample(IDataset train, SmoteConfig sm, int seed, LabelSpace space)
    {
        var real = Enumerable.Range(0, train.Count).Select(train.Get).ToList();
        Smote.Result result;
        try
        {
            result = Smote.Oversample(real.Select(e => e.Data).ToList(), real.Select(e => (int)e.Label).ToList(), sm.KNeighbors, seed, c => space.Classes[c]);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigValueException("features.smote", e.Message, e);
        }
        var shape = real[0].Shape;
        var all = real.Concat(result.Rows.Select((r, i) => new Example(r, shape, result.Labels[i]))).ToList();
        return (new InMemoryDataset(all), result.PerClass.ToDictionary(kv => space.Classes[kv.Key], kv => kv.Value));
    }

    /// <summary>FER2013's CSV carries its pixels: rows become 1 x 48 x 48 examples in [0, 1], no cache needed.</summary>
    private static ExperimentData FromPixels(ExperimentConfig config, LabelSpace space, DataSplit split, LabelMapping mapping,
        IReadOnlyList<SkippedItem> skipped)
    {
        if (mapping.Items.Any(i => i.Item.Details is not Fer2013Row))
            throw new NotSupportedException($"features.kind: pixels needs FER2013 (corpus: fer2013, root: its fer2013.csv or its <Usage>/<emotion>/ image folders)");
        var (train, val, test) = split.Select(mapping.Items);
        var sb = new StringBuilder();
        foreach (var i in mapping.Items.OrderBy(i => i.Item.Id, StringComparer.Ordinal))
            sb.Append(i.Item.Id).Append('|').Append(Convert.ToBase64String(SHA256.HashData(((Fer2013Row)i.Item.Details!).Pixels))).Append('|').Append(i.Label).Append('\n');
        var trainSet = new Fer2013Dataset(train);
        return new ExperimentData
        {
            Labels = space, Split = split, Train = trainSet, Validation = val.Count > 0 ? new Fer2013Dataset(val) : null,
            Test = new Fer2013Dataset(test), TestItems = test, FeatureShape = trainSet.Get(0).Shape, Skipped = skipped,
            DroppedLabels = mapping.Dropped, ManifestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()))),
            Extractor = new PixelsPlaceholder(),
            TrainAugment = new Augmentation.AugmentationPipeline(config.Augmentation) is { IsEmpty: false } a ? a.Image : null,
        };
    }

    /// <summary>Names the pixel "extraction" in reports; FER rows are never extracted from files.</summary>
    private sealed class PixelsPlaceholder : IFeatureExtractor
    {
        public string Name => "pixels48";
        public string ConfigHash => "fer2013-pixels";
        public FeatureArray Extract(string path) => throw new NotSupportedException($"{path}: pixels come from the FER2013 CSV row");
    }

    private static bool Wanted(CorpusItem item, DataConfig d) => d.Modality switch
    {
        Modality.Audio => item.Kind == MediaKind.Audio,
        Modality.Image => item.Kind == MediaKind.Image,
        // Frames come from video-only (RAVDESS 02) and audio-visual (01) files alike; audio_visual needs both tracks.
        Modality.Video => item.Kind is MediaKind.Video or MediaKind.AudioVisual,
        Modality.AudioVisual => item.Kind == MediaKind.AudioVisual,
        _ => true,
    };

    /// <summary>The config's feature front end; a kind the pipeline does not wire is a config error at features.kind.</summary>
    public static FrontEnd CreateFrontEnd(ExperimentConfig config)
    {
        try
        {
            return FrontEnd.Create(config.Features);
        }
        catch (NotSupportedException e)
        {
            throw new ConfigValueException("features.kind", e.Message, e);
        }
    }

    /// <summary>What the features, the corpus and the augmentation must agree on, checked before any feature is
    /// computed (the run and --dry-run alike): pixels need FER2013's CSV rows; waveform augmentations need a front
    /// end that computes features from the waveform (mfcc); clip front ends take image augmentations only for faces.</summary>
    public static void CheckFeatures(ExperimentConfig config, CorpusPlan plan)
    {
        var kind = config.Features.Kind;
        var kindName = ConfigBinder.SnakeCase(kind.ToString());
        if (kind == FeatureKind.Pixels)
        {
            if (plan.Mapping.Items.Any(i => i.Item.Details is not Fer2013Row))
                throw new ConfigValueException("features.kind", "pixels needs FER2013 (corpus: fer2013, root: its fer2013.csv or its <Usage>/<emotion>/ image folders)");
            if (config.Augmentation.Audio.Count > 0)
                throw new ConfigValueException("augmentation.audio", "pixels are images: audio augmentations do not apply to them (use augmentation.image)");
            return;
        }
        if (config.Features.SpeakerNorm)
        {
            if (kind is FeatureKind.Frames or FeatureKind.Faces)
                throw new ConfigValueException("features.speaker_norm", $"applies to audio and vector features (mfcc, mfcc_deltas, log_mel, handcrafted, faces_audio's audio, av_stats), not to {kindName}");
            if (plan.Mapping.Items.FirstOrDefault(i => i.Item.Speaker is null) is { } anonymous)
                throw new ConfigValueException("features.speaker_norm", $"needs every item's speaker, and {anonymous.Item.Path} has none (use a corpus whose names carry the speaker, or a manifest with a speaker column)");
        }
        var front = CreateFrontEnd(config);
        var augment = new Augmentation.AugmentationPipeline(config.Augmentation);
        if (augment.IsEmpty) return;
        if (front.Unrolled || front.Extras.Count > 0 || kind == FeatureKind.AvStats)
        {
            if (augment.NeedsWaveform)
                throw new ConfigValueException("augmentation.audio", $"waveform augmentations (awgn, gain, ...) need features.kind: mfcc, not {kindName}");
            if (kind != FeatureKind.Faces)
                throw new ConfigValueException("augmentation", $"augmentation is not supported with features.kind: {kindName} yet (faces takes image augmentations)");
        }
        else if (augment.NeedsWaveform && front.Primary is not ClipMfccExtractor)
            throw new ConfigValueException("augmentation.audio", $"waveform augmentations (awgn, gain, time_shift, ...) need features.kind: mfcc, not {kindName}");
        // What each example is decides what can act on it; a transform that would be skipped is refused, not ignored.
        if (augment.HasFeatureMasks && kind is not (FeatureKind.Mfcc or FeatureKind.LogMel))
            throw new ConfigValueException("augmentation.audio", $"freq_mask and time_mask act on 2-D MFCC/log-mel images (features.kind mfcc or log_mel), not on {kindName}");
        if (augment.HasImageTransforms && kind is not (FeatureKind.Faces or FeatureKind.MfccDeltas))
            throw new ConfigValueException("augmentation.image", $"image augmentations act on images (features.kind faces, pixels, or mfcc_deltas' 3-channel image), not on {kindName}");
    }

    /// <summary>Features of one item, computed without the cache (nothing is written): the first training items in
    /// turn until one extracts (up to five), as examples a model takes (a faces clip unrolls into its crops), with the
    /// per-example shape and the extractor (the caller disposes it when it is disposable). --dry-run runs the model on
    /// them.</summary>
    public static (IDataset Examples, long[] Shape, IFeatureExtractor Extractor, string Item, IReadOnlyList<SkippedItem> Failed) Probe(ExperimentConfig config, CorpusPlan plan)
    {
        CheckFeatures(config, plan);
        var byId = plan.Mapping.Items.ToDictionary(i => i.Item.Id, StringComparer.Ordinal);
        var candidates = plan.Split.Train.Select(id => byId[id]).ToList();
        if (config.Features.Kind == FeatureKind.Pixels)
        {
            var set = new Fer2013Dataset([candidates[0]]);
            return (set, set.Get(0).Shape, new PixelsPlaceholder(), candidates[0].Item.Path, []);
        }
        var front = CreateFrontEnd(config);
        var failed = new List<SkippedItem>();
        foreach (var item in candidates.Take(5))
        {
            try
            {
                var primary = front.Primary.Extract(item.Item.Path);
                var extras = front.Extras.Select(x => x.Extract(item.Item.Path)).ToList();
                IDataset set = new InMemoryDataset([new Example(primary.Data, primary.Shape, item.Label) { Extra = extras }]);
                if (front.Unrolled) set = new UnrolledDataset(set);
                if (set.Count == 0) throw new InvalidDataException($"{item.Item.Path}: no example (no frame with a face)");
                return (set, set.Get(0).Shape, front.Primary, item.Item.Path, failed);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException or InvalidOperationException)
            {
                failed.Add(new SkippedItem(item.Item.Path, e.Message));
            }
        }
        foreach (var x in front.Extras.Prepend(front.Primary).OfType<IDisposable>()) x.Dispose();
        throw new InvalidOperationException($"{config.Data.Root}: features ({ConfigBinder.SnakeCase(config.Features.Kind.ToString())}) could not be computed for any of the first {failed.Count} training items: {string.Join("; ", failed)}");
    }

    private static string Hash(FeatureCache cache, IEnumerable<LabeledItem> items)
    {
        var sb = new StringBuilder();
        foreach (var i in items.OrderBy(i => i.Item.Id, StringComparer.Ordinal))
            sb.Append(i.Item.Id).Append('|').Append(cache.ContentKey(i.Item.Path)).Append('|').Append(i.Label).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
