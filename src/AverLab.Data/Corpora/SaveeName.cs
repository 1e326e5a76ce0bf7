namespace AverLab.Data.Corpora;

/// <summary>A SAVEE file: speaker DC/JE/JK/KL (all male), emotion prefix a/d/f/h/n/sa/su (anger, disgust, fear,
/// happiness, neutral, sadness, surprise) and a sentence number, e.g. <c>DC/sa03.wav</c> or <c>DC_sa03.wav</c>.</summary>
public sealed record SaveeName(string Speaker, string EmotionCode, int Number)
{
    public static readonly IReadOnlyList<string> Speakers = ["DC", "JE", "JK", "KL"];
    public static readonly IReadOnlyDictionary<string, Emotion> Emotions = new Dictionary<string, Emotion>
    {
        ["a"] = Emotion.Angry, ["d"] = Emotion.Disgust, ["f"] = Emotion.Fearful, ["h"] = Emotion.Happy,
        ["n"] = Emotion.Neutral, ["sa"] = Emotion.Sad, ["su"] = Emotion.Surprised,
    };

    public Emotion Emotion => Emotions[EmotionCode];

    /// <summary>Parses <c>DC_sa03</c> (flat variant) or <c>sa03</c> with the speaker taken from <paramref name="folderSpeaker"/>.</summary>
    public static NameParse<SaveeName> Parse(string fileName, string? folderSpeaker = null)
    {
        var stem = System.IO.Path.GetFileNameWithoutExtension(fileName);
        string speaker, rest;
        var us = stem.IndexOf('_');
        if (us >= 0) { speaker = stem[..us]; rest = stem[(us + 1)..]; }
        else if (folderSpeaker != null) { speaker = folderSpeaker; rest = stem; }
        else return NameParse<SaveeName>.Fail("no speaker: expected SPEAKER_eNN.wav or a DC/JE/JK/KL folder");
        if (!Speakers.Contains(speaker)) return NameParse<SaveeName>.Fail($"speaker '{speaker}' is not one of DC/JE/JK/KL");
        var digits = 0;
        while (digits < rest.Length && char.IsDigit(rest[^(digits + 1)])) digits++;
        if (digits == 0) return NameParse<SaveeName>.Fail($"'{rest}' lacks a sentence number");
        var code = rest[..^digits];
        if (!Emotions.ContainsKey(code)) return NameParse<SaveeName>.Fail($"emotion prefix '{code}' is not one of a/d/f/h/n/sa/su");
        var number = int.Parse(rest[^digits..], System.Globalization.CultureInfo.InvariantCulture);
        if (number < 1) return NameParse<SaveeName>.Fail($"sentence number {number} must be positive");
        return NameParse<SaveeName>.Success(new SaveeName(speaker, code, number));
    }
}
