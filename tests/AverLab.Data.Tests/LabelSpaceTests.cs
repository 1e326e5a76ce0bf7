using AverLab.Data.Corpora;
using AverLab.Data.Labels;

namespace AverLab.Data.Tests;

public sealed class LabelSpaceTests
{
    private static CorpusItem Item(string corpus, string native, Emotion? e) => new($"/x/{native}", corpus, native, e, "s1");

    [Fact]
    public void Simplified5FoldsCalmIntoNeutralAndPairsClasses()
    {
        var s = LabelSpace.Simplified5;
        Assert.Equal(["sad/fear", "neutral", "happy", "angry", "surprise/disgust"], s.Classes);
        Assert.Equal(1, s.ClassOf(Item("ravdess", "calm", Emotion.Calm)));
        Assert.Equal(0, s.ClassOf(Item("ravdess", "fearful", Emotion.Fearful)));
        Assert.Equal(0, s.ClassOf(Item("crema-d", "SAD", Emotion.Sad)));
        Assert.Equal(4, s.ClassOf(Item("tess", "ps", Emotion.Surprised)));
        Assert.Equal(4, s.ClassOf(Item("savee", "d", Emotion.Disgust)));
    }

    [Fact]
    public void UnifiedAndFer7()
    {
        Assert.Equal(8, LabelSpace.Unified.Count);
        Assert.Equal((int)Emotion.Surprised, LabelSpace.Unified.ClassOf(Item("tess", "ps", Emotion.Surprised)));
        Assert.Null(LabelSpace.Fer7.ClassOf(Item("ravdess", "calm", Emotion.Calm)));
        Assert.Equal(6, LabelSpace.Fer7.ClassOf(Item("ravdess", "neutral", Emotion.Neutral)));
    }

    [Fact]
    public void NativeSpacesKeepTheCorpusOwnLabels()
    {
        var crema = LabelSpace.NativeOf("crema-d");
        Assert.Equal(["ANG", "DIS", "FEA", "HAP", "NEU", "SAD"], crema.Classes);
        Assert.Equal(3, crema.ClassOf(Item("crema-d", "HAP", Emotion.Happy)));
        Assert.Null(crema.ClassOf(Item("ravdess", "happy", Emotion.Happy))); // another corpus's label is not native here
        Assert.Equal(5, LabelSpace.NativeOf("tess").ClassOf(Item("tess", "ps", Emotion.Surprised)));
    }

    [Fact]
    public void UnmappedLabelsAreDroppedWithACountOrRejected()
    {
        var space = LabelSpace.FromMap("custom", new Dictionary<string, string>
        {
            ["happy"] = "positive", ["calm"] = "positive", ["angry"] = "negative", ["sad"] = "negative", ["folder:frustrated"] = "negative",
        }, ["negative", "positive"]);
        CorpusItem[] items =
        [
            Item("ravdess", "happy", Emotion.Happy), Item("ravdess", "calm", Emotion.Calm), Item("folder", "frustrated", null),
            Item("ravdess", "surprised", Emotion.Surprised), Item("ravdess", "surprised", Emotion.Surprised), Item("folder", "bored", null),
        ];
        var m = space.Apply(items, UnmappedPolicy.Drop);
        Assert.Equal([1, 1, 0], m.Items.Select(i => i.Label).ToArray());
        Assert.Equal(3, m.DroppedCount);
        Assert.Equal(2, m.Dropped["ravdess:surprised"]);
        Assert.Equal(1, m.Dropped["folder:bored"]);
        var e = Assert.Throws<UnmappedLabelException>(() => space.Apply(items, UnmappedPolicy.Reject));
        Assert.Contains("'ravdess:surprised' (2 items)", e.Message);
        Assert.Contains("'folder:bored' (1 items)", e.Message);
    }

    [Fact]
    public void CustomMapNamingAnUnknownClassIsRejected() =>
        Assert.Throws<ArgumentException>(() => LabelSpace.FromMap("bad", new Dictionary<string, string> { ["happy"] = "joy" }, ["positive"]));
}
