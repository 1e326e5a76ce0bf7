namespace AverLab.Data.Corpora;

/// <summary>A TESS file name <c>OAF_word_emotion.wav</c> / <c>YAF_word_emotion.wav</c>: speaker OAF (older) or YAF
/// (younger), both female; the target word; emotion angry/disgust/fear/happy/neutral/sad/ps (ps = pleasant surprise,
/// also spelled pleasant_surprise(d) in some copies).</summary>
public sealed record TessName(string Speaker, string Word, string EmotionCode)
{
    public static readonly IReadOnlyDictionary<string, Emotion> Emotions = new Dictionary<string, Emotion>
    {
        ["angry"] = Emotion.Angry, ["disgust"] = Emotion.Disgust, ["fear"] = Emotion.Fearful, ["happy"] = Emotion.Happy,
        ["neutral"] = Emotion.Neutral, ["sad"] = Emotion.Sad, ["ps"] = Emotion.Surprised,
    };

    public Emotion Emotion => Emotions[EmotionCode];

    public static NameParse<TessName> Parse(string fileName)
    {
        var stem = System.IO.Path.GetFileNameWithoutExtension(fileName);
        var parts = stem.Split('_');
        if (parts.Length < 3) return NameParse<TessName>.Fail("expected SPEAKER_word_emotion (3 fields)");
        var speaker = parts[0].ToUpperInvariant();
        if (speaker is not ("OAF" or "YAF")) return NameParse<TessName>.Fail($"speaker '{parts[0]}' is not OAF or YAF");
        var tail = string.Join("_", parts[2..]).ToLowerInvariant();
        var code = tail is "pleasant_surprise" or "pleasant_surprised" ? "ps" : tail;
        if (!Emotions.ContainsKey(code)) return NameParse<TessName>.Fail($"emotion '{tail}' is not one of angry/disgust/fear/happy/neutral/sad/ps");
        if (parts[1].Length == 0) return NameParse<TessName>.Fail("empty word field");
        return NameParse<TessName>.Success(new TessName(speaker, parts[1].ToLowerInvariant(), code));
    }
}
