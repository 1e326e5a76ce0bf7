using AverLab.Data.Labels;

namespace AverLab.Data.Splits;

/// <summary>Split protocols. All are deterministic given the seed (System.Random with an explicit seed; item order
/// does not matter because speakers and items are sorted before shuffling). Speaker protocols check themselves with
/// <see cref="LeakCheck"/> before returning.</summary>
public static class Splitter
{
    /// <summary>Speaker-independent hold-out: a seeded shuffle of the speakers; the first
    /// ceil(testFraction·S) go to test, the next ceil(validationFraction·S) to validation, the rest to train.
    /// testFraction 0 (with a validation side) trains on every speaker but the validation ones, for a model to ship
    /// whose estimate comes from cross-validation: its test figures are then the validation side's, and the protocol
    /// says so.</summary>
    public static DataSplit SpeakerHoldOut(IReadOnlyList<LabeledItem> items, double testFraction = 0.2,
        double validationFraction = 0.0, int seed = 0)
    {
        if (testFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "must be in [0, 1)");
        if (testFraction == 0 && validationFraction <= 0)
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "0 (no test speakers) needs a validation side (val_fraction > 0)");
        if (validationFraction is < 0 || testFraction + validationFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "test + validation must stay below 1");
        var speakers = ShuffledSpeakers(items, seed);
        if (speakers.Count < 2) throw new ArgumentException($"a speaker hold-out needs at least 2 speakers, found {speakers.Count}");
        if (testFraction == 0)
        {
            var nValOnly = Math.Max(1, (int)Math.Ceiling(validationFraction * speakers.Count));
            if (nValOnly >= speakers.Count) throw new ArgumentException($"{speakers.Count} speakers are too few for {nValOnly} validation speakers and a training side");
            var validation = speakers.Take(nValOnly).ToHashSet(StringComparer.Ordinal);
            var split = BySpeaker(items, "speaker-holdout, test = validation (no test speakers)", seed, null, [], validation);
            return Check(split with { Test = split.Validation }, items);
        }
        var nTest = Math.Max(1, (int)Math.Ceiling(testFraction * speakers.Count));
        var nVal = validationFraction > 0 ? Math.Max(1, (int)Math.Ceiling(validationFraction * speakers.Count)) : 0;
        if (nTest + nVal >= speakers.Count) throw new ArgumentException($"{speakers.Count} speakers are too few for {nTest} test and {nVal} validation speakers and a training side");
        var test = speakers.Take(nTest).ToHashSet(StringComparer.Ordinal);
        var val = speakers.Skip(nTest).Take(nVal).ToHashSet(StringComparer.Ordinal);
        return Check(BySpeaker(items, "speaker-holdout", seed, null, test, val), items);
    }

    /// <summary>Speaker-independent hold-out with the test speakers named (data.split.test_speakers): exactly those
    /// speakers are tested; validation takes ceil(validationFraction·S) of the others in seeded order, the rest train.
    /// A name matches a speaker id exactly or as its suffix after the corpus prefix ("01" names "ravdess-01"). A name
    /// that matches no speaker (or several) is an error that lists the corpus's speakers.</summary>
    public static DataSplit SpeakerHoldOut(IReadOnlyList<LabeledItem> items, IReadOnlyCollection<string> testSpeakers,
        double validationFraction = 0.0, int seed = 0)
    {
        if (testSpeakers.Count == 0) throw new ArgumentException("no test speakers given", nameof(testSpeakers));
        if (validationFraction is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be in [0, 1)");
        var speakers = ShuffledSpeakers(items, seed);
        var test = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in testSpeakers)
        {
            var matches = speakers.Where(s => s == name || s.EndsWith("-" + name, StringComparison.Ordinal)).ToList();
            if (matches.Count != 1)
                throw new ArgumentException($"test speaker '{name}' {(matches.Count == 0 ? "is not in the corpus" : $"is ambiguous ({string.Join(", ", matches)})")}; its speakers: {string.Join(", ", speakers.Order(StringComparer.Ordinal))}");
            test.Add(matches[0]);
        }
        var rest = speakers.Where(s => !test.Contains(s)).ToList();
        var nVal = validationFraction > 0 ? Math.Max(1, (int)Math.Ceiling(validationFraction * speakers.Count)) : 0;
        if (nVal >= rest.Count)
            throw new ArgumentException($"{speakers.Count} speakers are too few for {test.Count} test and {nVal} validation speakers and a training side");
        var val = rest.Take(nVal).ToHashSet(StringComparer.Ordinal);
        return Check(BySpeaker(items, "speaker-holdout", seed, null, test, val), items);
    }

    /// <summary>Speaker k-fold (the default protocol): speakers shuffled with the seed and dealt round-robin into k
    /// folds; split f tests on fold f and, when <paramref name="validation"/> is set, validates on fold (f+1) mod k.</summary>
    public static IReadOnlyList<DataSplit> SpeakerKFold(IReadOnlyList<LabeledItem> items, int k = 5, int seed = 0, bool validation = false)
    {
        var speakers = ShuffledSpeakers(items, seed);
        var minFolds = validation ? 3 : 2;
        if (k < minFolds) throw new ArgumentOutOfRangeException(nameof(k), k, $"k-fold needs k >= {minFolds}");
        if (speakers.Count < k) throw new ArgumentException($"{k}-fold by speaker needs at least {k} speakers, found {speakers.Count}");
        var fold = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < speakers.Count; i++) fold[speakers[i]] = i % k;
        var splits = new List<DataSplit>();
        for (var f = 0; f < k; f++)
        {
            var test = fold.Where(kv => kv.Value == f).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
            var vf = (f + 1) % k;
            var val = validation ? fold.Where(kv => kv.Value == vf).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal) : [];
            splits.Add(Check(BySpeaker(items, $"speaker-kfold{k}", seed, f, test, val), items));
        }
        return splits;
    }

    /// <summary>Stratified random split by class (speakers may appear on both sides: this reproduces the seeds'
    /// speaker-dependent protocols, and the split says so: <see cref="DataSplit.SpeakerIndependent"/> is false).</summary>
    public static DataSplit StratifiedRandom(IReadOnlyList<LabeledItem> items, double testFraction = 0.2,
        double validationFraction = 0.0, int seed = 0)
    {
        if (testFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "must be in (0, 1)");
        var rng = new Random(seed);
        List<string> train = [], val = [], test = [];
        foreach (var group in items.GroupBy(i => i.Label).OrderBy(g => g.Key))
        {
            var ids = group.Select(i => i.Item.Id).Order(StringComparer.Ordinal).ToArray();
            rng.Shuffle(ids);
            var nTest = (int)Math.Round(testFraction * ids.Length);
            var nVal = (int)Math.Round(validationFraction * ids.Length);
            test.AddRange(ids.Take(nTest));
            val.AddRange(ids.Skip(nTest).Take(nVal));
            train.AddRange(ids.Skip(nTest + nVal));
        }
        return new DataSplit { Protocol = "stratified-random", Seed = seed, SpeakerIndependent = false, Train = train, Validation = val, Test = test };
    }

    /// <summary>Stratified k-fold over items (the seeds' random protocol, repeated so every clip is tested once):
    /// each class's items shuffled with the seed and dealt round-robin into k folds; split f tests on fold f and,
    /// when <paramref name="validation"/> is set, validates on fold (f+1) mod k. Speakers fall on every side.</summary>
    public static IReadOnlyList<DataSplit> StratifiedKFold(IReadOnlyList<LabeledItem> items, int k = 5, int seed = 0, bool validation = false)
    {
        var minFolds = validation ? 3 : 2;
        if (k < minFolds) throw new ArgumentOutOfRangeException(nameof(k), k, $"k-fold needs k >= {minFolds}");
        var rng = new Random(seed);
        var fold = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = 0;
        foreach (var group in items.GroupBy(i => i.Label).OrderBy(g => g.Key))
        {
            var ids = group.Select(i => i.Item.Id).Order(StringComparer.Ordinal).ToArray();
            rng.Shuffle(ids);
            // Continue the deal where the previous class stopped, so fold sizes differ by at most one overall.
            foreach (var id in ids) fold[id] = next++ % k;
        }
        var splits = new List<DataSplit>();
        for (var f = 0; f < k; f++)
        {
            var vf = (f + 1) % k;
            List<string> train = [], val = [], test = [];
            foreach (var it in items)
            {
                var side = fold[it.Item.Id] == f ? test : validation && fold[it.Item.Id] == vf ? val : train;
                side.Add(it.Item.Id);
            }
            splits.Add(new DataSplit { Protocol = $"stratified-kfold{k}", Seed = seed, Fold = f, SpeakerIndependent = false, Train = train, Validation = val, Test = test });
        }
        return splits;
    }

    /// <summary>The split the corpus itself assigns (FER2013's Usage: Training → train, PublicTest → validation,
    /// PrivateTest → test; image-folder variant: train → train, test → test, val/validation → validation). Items
    /// without a preset split are an error. Without test items, the validation side is also the test side (the protocol
    /// names it).</summary>
    public static DataSplit Preset(IReadOnlyList<LabeledItem> items)
    {
        List<string> train = [], val = [], test = [];
        foreach (var it in items)
        {
            var side = it.Item.PresetSplit?.ToLowerInvariant() switch
            {
                "training" or "train" => train,
                "publictest" or "val" or "validation" or "valid" => val,
                "privatetest" or "test" => test,
                _ => throw new ArgumentException($"{it.Item.Path}: preset split '{it.Item.PresetSplit ?? "(none)"}' is not Training/PublicTest/PrivateTest or train/val/test"),
            };
            side.Add(it.Item.Id);
        }
        // FER2013 without its held-back PrivateTest: the test figures are the validation side's, and the protocol says so.
        if (test.Count == 0 && val.Count > 0)
            return new DataSplit { Protocol = "preset, test = validation (no PrivateTest/test items)", Train = train, Validation = val, Test = val };
        return new DataSplit { Protocol = "preset", Train = train, Validation = val, Test = test };
    }

    private static List<string> ShuffledSpeakers(IReadOnlyList<LabeledItem> items, int seed)
    {
        var noSpeaker = items.FirstOrDefault(i => i.Item.Speaker == null);
        if (noSpeaker != null)
            throw new ArgumentException($"{noSpeaker.Item.Path}: a speaker-independent split needs a speaker for every item " +
                                        $"({items.Count(i => i.Item.Speaker == null)} items have none)");
        var speakers = items.Select(i => i.Item.Speaker!).Distinct().Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(speakers);
        return speakers.ToList();
    }

    private static DataSplit BySpeaker(IReadOnlyList<LabeledItem> items, string protocol, int seed, int? fold,
        HashSet<string> test, HashSet<string> val)
    {
        List<string> tr = [], va = [], te = [];
        foreach (var it in items.OrderBy(i => i.Item.Id, StringComparer.Ordinal))
            (test.Contains(it.Item.Speaker!) ? te : val.Contains(it.Item.Speaker!) ? va : tr).Add(it.Item.Id);
        return new DataSplit { Protocol = protocol, Seed = seed, Fold = fold, SpeakerIndependent = true, Train = tr, Validation = va, Test = te };
    }

    private static DataSplit Check(DataSplit split, IReadOnlyList<LabeledItem> items)
    {
        LeakCheck.Ensure(split, items);
        return split;
    }
}
