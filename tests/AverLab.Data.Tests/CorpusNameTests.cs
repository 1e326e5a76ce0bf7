using AverLab.Data.Corpora;

namespace AverLab.Data.Tests;

public sealed class CorpusNameTests
{
    [Fact]
    public void RavdessParsesEveryField()
    {
        var n = RavdessName.Parse("03-02-06-02-01-02-12.wav").Value!;
        Assert.Equal((3, 2, 6, 2, 1, 2, 12), (n.Modality, n.VocalChannel, n.EmotionCode, n.Intensity, n.Statement, n.Repetition, n.Actor));
        Assert.Equal(Emotion.Fearful, n.Emotion);
        Assert.Equal("fearful", n.NativeLabel);
        Assert.Equal("female", n.Gender);
        Assert.True(n.IsSong);
        Assert.Equal(MediaKind.Audio, n.Kind);
        Assert.Equal("03-02-06-02-01-02-12", n.FileStem);
        var av = RavdessName.Parse("01-01-02-01-02-01-01.mp4").Value!;
        Assert.Equal((MediaKind.AudioVisual, Emotion.Calm, "male"), (av.Kind, av.Emotion, av.Gender));
        Assert.Equal(MediaKind.Video, RavdessName.Parse("02-01-08-02-02-02-24.mp4").Value!.Kind);
    }

    [Theory]
    [InlineData("03-01-05-01-02-01.wav", "7 dash-separated")]
    [InlineData("03-01-09-01-02-01-01.wav", "emotion 09")]
    [InlineData("03-01-01-02-01-01-01.wav", "neutral has no strong")]
    [InlineData("04-01-05-01-02-01-01.wav", "modality 04")]
    [InlineData("03-03-05-01-02-01-01.wav", "vocal channel 03")]
    [InlineData("03-01-05-01-03-01-01.wav", "statement 03")]
    [InlineData("03-01-05-01-02-03-01.wav", "repetition 03")]
    [InlineData("03-01-5-01-02-01-01.wav", "not a two-digit")]
    [InlineData("03-01-xx-01-02-01-01.wav", "emotion field 'xx'")]
    [InlineData("03-01-05-01-02-01-00.wav", "actor 00")]
    public void RavdessMalformedNamesGiveAReason(string name, string reason)
    {
        var p = RavdessName.Parse(name);
        Assert.False(p.Ok);
        Assert.Contains(reason, p.Error);
    }

    [Fact]
    public void CremaDParsesEveryField()
    {
        var n = CremaDName.Parse("1091_WSI_SAD_HI.wav").Value!;
        Assert.Equal((1091, "WSI", "SAD", "HI", Emotion.Sad), (n.Actor, n.Sentence, n.EmotionCode, n.Level, n.Emotion));
        Assert.Equal("XX", CremaDName.Parse("1001_DFA_ANG_XX.flv").Value!.Level);
    }

    [Theory]
    [InlineData("1001_DFA_ANG.wav", "4 fields")]
    [InlineData("0999_DFA_ANG_XX.wav", "actor '0999'")]
    [InlineData("1001_ABC_ANG_XX.wav", "sentence 'ABC'")]
    [InlineData("1001_DFA_CON_XX.wav", "emotion 'CON'")]
    [InlineData("1001_DFA_ANG_ZZ.wav", "level 'ZZ'")]
    public void CremaDMalformedNames(string name, string reason) => Assert.Contains(reason, CremaDName.Parse(name).Error);

    [Theory]
    [InlineData("DC_a01.wav", null, "DC", "a", 1, Emotion.Angry)]
    [InlineData("sa15.wav", "JK", "JK", "sa", 15, Emotion.Sad)]
    [InlineData("KL_su03.wav", null, "KL", "su", 3, Emotion.Surprised)]
    [InlineData("n30.wav", "JE", "JE", "n", 30, Emotion.Neutral)]
    [InlineData("DC_d02.wav", null, "DC", "d", 2, Emotion.Disgust)]
    [InlineData("DC_f02.wav", null, "DC", "f", 2, Emotion.Fearful)]
    [InlineData("DC_h02.wav", null, "DC", "h", 2, Emotion.Happy)]
    public void SaveeParsesSpeakerEmotionNumber(string name, string? folder, string speaker, string code, int number, Emotion e)
    {
        var n = SaveeName.Parse(name, folder).Value!;
        Assert.Equal((speaker, code, number, e), (n.Speaker, n.EmotionCode, n.Number, n.Emotion));
    }

    [Theory]
    [InlineData("XX_a01.wav", null, "speaker 'XX'")]
    [InlineData("a01.wav", null, "no speaker")]
    [InlineData("DC_x01.wav", null, "emotion prefix 'x'")]
    [InlineData("DC_sa.wav", null, "lacks a sentence number")]
    public void SaveeMalformedNames(string name, string? folder, string reason) => Assert.Contains(reason, SaveeName.Parse(name, folder).Error);

    [Theory]
    [InlineData("OAF_back_angry.wav", "OAF", "back", "angry", Emotion.Angry)]
    [InlineData("YAF_dog_ps.wav", "YAF", "dog", "ps", Emotion.Surprised)]
    [InlineData("YAF_dog_pleasant_surprised.wav", "YAF", "dog", "ps", Emotion.Surprised)]
    [InlineData("OAF_bath_fear.wav", "OAF", "bath", "fear", Emotion.Fearful)]
    public void TessParses(string name, string speaker, string word, string code, Emotion e)
    {
        var n = TessName.Parse(name).Value!;
        Assert.Equal((speaker, word, code, e), (n.Speaker, n.Word, n.EmotionCode, n.Emotion));
    }

    [Theory]
    [InlineData("MAF_back_angry.wav", "speaker 'MAF'")]
    [InlineData("OAF_back.wav", "3 fields")]
    [InlineData("OAF_back_bored.wav", "emotion 'bored'")]
    public void TessMalformedNames(string name, string reason) => Assert.Contains(reason, TessName.Parse(name).Error);
}
