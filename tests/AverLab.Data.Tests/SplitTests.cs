using AverLab.Data.Corpora;
using AverLab.Data.Labels;
using AverLab.Data.Splits;
using FsCheck;
using FsCheck.Fluent;

namespace AverLab.Data.Tests;

public sealed class SplitTests
{
    /// <summary>A corpus of <paramref name="speakers"/> speakers with 1..6 items each over 5 classes.</summary>
    private static List<LabeledItem> Corpus(int speakers, int seed)
    {
        var r = new Random(seed);
        var items = new List<LabeledItem>();
        for (var s = 0; s < speakers; s++)
            for (var i = 0; i < 1 + r.Next(6); i++)
                items.Add(new LabeledItem(new CorpusItem($"/c/s{s}/{i}.wav", "test", "x", null, $"spk{s:00}") { Id = $"s{s}/{i}" }, r.Next(5)));
        return items;
    }

    [Fact]
    public void SpeakerHoldOutWithoutTestSpeakersTrainsOnAllButTheValidationOnes()
    {
        var items = Corpus(12, 4);
        var split = Splitter.SpeakerHoldOut(items, 0, 0.16, seed: 42);
        Assert.Equal("speaker-holdout, test = validation (no test speakers)", split.Protocol);
        Assert.Equal(split.Validation, split.Test);
        var speakerOf = items.ToDictionary(i => i.Item.Id, i => i.Item.Speaker);
        Assert.Equal(2, split.Validation.Select(id => speakerOf[id]).Distinct().Count()); // ceil(0.16 x 12)
        Assert.Equal(10, split.Train.Select(id => speakerOf[id]).Distinct().Count());
        Assert.Equal(items.Count, split.Train.Count + split.Validation.Count);
        Assert.Empty(LeakCheck.LeakedSpeakers(split, items));
        Assert.Throws<ArgumentOutOfRangeException>(() => Splitter.SpeakerHoldOut(items, 0, 0, seed: 42)); // nothing to select on
    }

    [Fact]
    public void SpeakerHoldOutNeverLeaks_Property() =>
        Prop.ForAll<int, int, int>((a, b, c) =>
        {
            var speakers = 3 + Math.Abs(a % 30);
            var items = Corpus(speakers, b);
            var split = Splitter.SpeakerHoldOut(items, 0.2, 0.1 * Math.Abs(c % 2), seed: c);
            var all = split.Train.Concat(split.Validation).Concat(split.Test).ToList();
            return LeakCheck.LeakedSpeakers(split, items).Count == 0
                   && all.Count == items.Count && all.Distinct().Count() == items.Count
                   && split.Test.Count > 0 && split.Train.Count > 0;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void KFoldPutsEachActorInTestExactlyOnce_Property() =>
        Prop.ForAll<int, int, int>((a, b, c) =>
        {
            var k = 2 + Math.Abs(a % 5);
            var speakers = k + Math.Abs(b % 20);
            var items = Corpus(speakers, c);
            var folds = Splitter.SpeakerKFold(items, k, seed: c);
            var speakerOf = items.ToDictionary(i => i.Item.Id, i => i.Item.Speaker!);
            var testCount = new Dictionary<string, int>();
            foreach (var f in folds)
            {
                if (LeakCheck.LeakedSpeakers(f, items).Count != 0) return false;
                if (f.Train.Count + f.Test.Count != items.Count) return false;
                foreach (var s in f.Test.Select(id => speakerOf[id]).Distinct()) testCount[s] = testCount.GetValueOrDefault(s) + 1;
            }
            return folds.Count == k && testCount.Count == speakers && testCount.Values.All(v => v == 1);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void SplitsAreSeededAndOrderIndependent()
    {
        var items = Corpus(12, 3);
        var shuffled = items.OrderBy(i => i.Item.Id.GetHashCode()).ToList();
        Assert.Equal(SplitManifest.Hash(Splitter.SpeakerHoldOut(items, seed: 5)), SplitManifest.Hash(Splitter.SpeakerHoldOut(shuffled, seed: 5)));
        Assert.NotEqual(SplitManifest.Hash(Splitter.SpeakerHoldOut(items, seed: 5)), SplitManifest.Hash(Splitter.SpeakerHoldOut(items, seed: 6)));
        Assert.Equal(SplitManifest.Hash(Splitter.StratifiedRandom(items, seed: 1)), SplitManifest.Hash(Splitter.StratifiedRandom(shuffled, seed: 1)));
    }

    [Fact]
    public void LeakCheckFailsLoudlyOnALeakingSpeakerSplit()
    {
        var items = Corpus(10, 1);
        var good = Splitter.SpeakerHoldOut(items, seed: 0);
        // Move one item of a training speaker who has several into test: that speaker is now on both sides.
        var leaked = items.Where(i => good.Train.Contains(i.Item.Id)).GroupBy(i => i.Item.Speaker).First(g => g.Count() >= 2).First();
        var bad = good with { Test = [.. good.Test, leaked.Item.Id], Train = good.Train.Where(id => id != leaked.Item.Id).ToList() };
        var e = Assert.Throws<SpeakerLeakException>(() => LeakCheck.Ensure(bad, items));
        Assert.Contains(leaked.Item.Speaker!, e.Message);
        // A speaker-dependent protocol allows it and says so.
        var strat = Splitter.StratifiedRandom(items, 0.3, seed: 2);
        Assert.False(strat.SpeakerIndependent);
        LeakCheck.Ensure(strat, items);
        Assert.NotEmpty(LeakCheck.LeakedSpeakers(strat, items));
    }

    [Fact]
    public void StratifiedSplitKeepsClassProportions()
    {
        var items = Enumerable.Range(0, 200).Select(i => new LabeledItem(new CorpusItem($"/{i}", "t", "x", null, null) { Id = $"{i}" }, i % 4)).ToList();
        var s = Splitter.StratifiedRandom(items, 0.2, 0.1, seed: 3);
        var label = items.ToDictionary(i => i.Item.Id, i => i.Label);
        Assert.All(Enumerable.Range(0, 4), c => Assert.Equal(10, s.Test.Count(id => label[id] == c)));
        Assert.All(Enumerable.Range(0, 4), c => Assert.Equal(5, s.Validation.Count(id => label[id] == c)));
        Assert.Equal(140, s.Train.Count);
    }

    [Fact]
    public void PresetSplitFollowsFerUsage()
    {
        LabeledItem Fer(int i, string usage) => new(new CorpusItem($"f#{i}", "fer2013", "happy", Emotion.Happy, null) { PresetSplit = usage, Id = $"row{i}" }, 3);
        var s = Splitter.Preset([Fer(1, "Training"), Fer(2, "PublicTest"), Fer(3, "PrivateTest"), Fer(4, "Training")]);
        Assert.Equal(["row1", "row4"], s.Train);
        Assert.Equal(["row2"], s.Validation);
        Assert.Equal(["row3"], s.Test);
        Assert.Throws<ArgumentException>(() => Splitter.Preset([Fer(5, "Somewhere")]));
    }

    [Fact]
    public void SpeakerProtocolsRefuseItemsWithoutSpeakers()
    {
        var items = new List<LabeledItem> { new(new CorpusItem("/a.wav", "t", "x", null, null), 0), new(new CorpusItem("/b.wav", "t", "x", null, "s"), 0) };
        var e = Assert.Throws<ArgumentException>(() => Splitter.SpeakerHoldOut(items));
        Assert.Contains("/a.wav", e.Message);
    }

    [Fact]
    public void ManifestRoundTripsAndSelectsItems()
    {
        using var d = new TempDir();
        var items = Corpus(8, 4);
        var split = Splitter.SpeakerKFold(items, 4, seed: 9, validation: true)[2];
        var path = Path.Combine(d.Path, "split.json");
        SplitManifest.Write(path, split);
        var back = SplitManifest.Read(path);
        Assert.Equal(SplitManifest.Hash(split), SplitManifest.Hash(back));
        Assert.Equal((2, true, "speaker-kfold4"), (back.Fold!.Value, back.SpeakerIndependent, back.Protocol));
        var (train, val, test) = back.Select(items);
        Assert.Equal(items.Count, train.Count + val.Count + test.Count);
        Assert.Throws<InvalidOperationException>(() => back.Select(items.Take(3).ToList()));
        File.WriteAllText(path, "{ not json");
        var e = Assert.Throws<InvalidDataException>(() => SplitManifest.Read(path));
        Assert.Contains(path, e.Message);
    }
    /// <summary>data.split.test_speakers: exactly the named speakers are tested, whatever the seed (a key that is
    /// bound must also be used).</summary>
    [Fact]
    public void ExplicitTestSpeakersAreExactlyTheTestSide()
    {
        var items = Corpus(8, 4);
        var speakerOf = items.ToDictionary(i => i.Item.Id, i => i.Item.Speaker!);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var split = Splitter.SpeakerHoldOut(items, ["spk02", "spk05"], validationFraction: 0.2, seed: seed);
            Assert.Equal(["spk02", "spk05"], split.Test.Select(id => speakerOf[id]).Distinct().Order());
            Assert.DoesNotContain(split.Validation.Concat(split.Train), id => speakerOf[id] is "spk02" or "spk05");
            Assert.Equal(2, split.Validation.Select(id => speakerOf[id]).Distinct().Count()); // ceil(0.2 * 8)
            Assert.Equal(items.Count, split.Train.Count + split.Validation.Count + split.Test.Count);
        }
        var e = Assert.Throws<ArgumentException>(() => Splitter.SpeakerHoldOut(items, ["spk99"], seed: 1));
        Assert.Contains("test speaker 'spk99' is not in the corpus; its speakers: spk00, spk01", e.Message);
        Assert.Throws<ArgumentException>(() => Splitter.SpeakerHoldOut(items, Enumerable.Range(0, 8).Select(i => $"spk{i:00}").ToList(), seed: 1));
    }
}
