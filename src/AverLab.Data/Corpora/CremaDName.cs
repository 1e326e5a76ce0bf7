namespace AverLab.Data.Corpora;

/// <summary>A CREMA-D file name, <c>ActorID_Sentence_Emotion_Level</c> (e.g. <c>1001_DFA_ANG_XX.wav</c>): actor
/// 1001–1091, one of the 12 sentence codes, emotion ANG/DIS/FEA/HAP/NEU/SAD, level LO/MD/HI/XX (XX = unspecified).</summary>
public sealed record CremaDName(int Actor, string Sentence, string EmotionCode, string Level)
{
    public static readonly IReadOnlyList<string> Sentences = ["IEO", "TIE", "IOM", "IWW", "TAI", "MTI", "IWL", "ITH", "DFA", "ITS", "TSI", "WSI"];
    public static readonly IReadOnlyList<string> Levels = ["LO", "MD", "HI", "XX"];
    public static readonly IReadOnlyDictionary<string, Emotion> Emotions = new Dictionary<string, Emotion>
    {
        ["ANG"] = Emotion.Angry, ["DIS"] = Emotion.Disgust, ["FEA"] = Emotion.Fearful,
        ["HAP"] = Emotion.Happy, ["NEU"] = Emotion.Neutral, ["SAD"] = Emotion.Sad,
    };

    public Emotion Emotion => Emotions[EmotionCode];

    public static NameParse<CremaDName> Parse(string fileName)
    {
        var parts = System.IO.Path.GetFileNameWithoutExtension(fileName).Split('_');
        if (parts.Length != 4) return NameParse<CremaDName>.Fail($"expected ActorID_Sentence_Emotion_Level (4 fields), found {parts.Length}");
        if (parts[0].Length != 4 || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, null, out var actor) || actor is < 1001 or > 1091)
            return NameParse<CremaDName>.Fail($"actor '{parts[0]}' is not in 1001..1091");
        if (!Sentences.Contains(parts[1])) return NameParse<CremaDName>.Fail($"sentence '{parts[1]}' is not one of {string.Join("/", Sentences)}");
        if (!Emotions.ContainsKey(parts[2])) return NameParse<CremaDName>.Fail($"emotion '{parts[2]}' is not one of ANG/DIS/FEA/HAP/NEU/SAD");
        if (!Levels.Contains(parts[3])) return NameParse<CremaDName>.Fail($"level '{parts[3]}' is not one of LO/MD/HI/XX");
        return NameParse<CremaDName>.Success(new CremaDName(actor, parts[1], parts[2], parts[3]));
    }
}
