namespace AverLab.Inference.Tests;

/// <summary>Late fusion of a speech model and a face model trained on different corpora (RAVDESS's 8 classes, FER2013's 7).</summary>
public sealed class LateFusionClassesTests
{
    private static readonly string[] Ravdess = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
    private static readonly string[] Fer = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    [Fact]
    public void SameClassesStayAsTheyAre() => Assert.Equal(Ravdess, Analyzer.SharedClasses(Ravdess, Ravdess));

    [Fact]
    public void RavdessAndFerShareSevenEmotionsWithCalmCountedAsNeutral() =>
        Assert.Equal(["neutral", "happy", "sad", "angry", "fearful", "disgust", "surprised"], Analyzer.SharedClasses(Ravdess, Fer));

    [Fact]
    public void ModelsWithoutSharedEmotionsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Analyzer.SharedClasses(["positive", "negative"], Fer));
        Assert.Contains("late fusion needs classes both models share", e.Message);
    }
}
