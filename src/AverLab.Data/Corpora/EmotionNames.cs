namespace AverLab.Data.Corpora;

/// <summary>Common spellings of the unified emotions (as folder names and manifest labels use them).</summary>
public static class EmotionNames
{
    private static readonly Dictionary<string, Emotion> Map = new(StringComparer.OrdinalIgnoreCase)
    {
        ["neutral"] = Emotion.Neutral, ["calm"] = Emotion.Calm, ["happy"] = Emotion.Happy, ["happiness"] = Emotion.Happy,
        ["joy"] = Emotion.Happy, ["sad"] = Emotion.Sad, ["sadness"] = Emotion.Sad, ["angry"] = Emotion.Angry,
        ["anger"] = Emotion.Angry, ["fear"] = Emotion.Fearful, ["fearful"] = Emotion.Fearful, ["disgust"] = Emotion.Disgust,
        ["disgusted"] = Emotion.Disgust, ["surprise"] = Emotion.Surprised, ["surprised"] = Emotion.Surprised,
        ["ps"] = Emotion.Surprised, ["pleasant_surprise"] = Emotion.Surprised,
    };

    public static Emotion? TryParse(string name) => Map.TryGetValue(name.Trim(), out var e) ? e : null;
}
