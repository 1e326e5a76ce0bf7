namespace AverLab.Data.Corpora;

/// <summary>The seven fields of a RAVDESS file name, <c>MM-VV-EE-II-SS-RR-AA.ext</c>: modality (01 full-AV,
/// 02 video-only, 03 audio-only), vocal channel (01 speech, 02 song), emotion (01 neutral .. 08 surprised),
/// intensity (01 normal, 02 strong; neutral has no strong), statement (01 "Kids are talking by the door",
/// 02 "Dogs are sitting by the door"), repetition (01/02), actor (01–24; odd male, even female).</summary>
public sealed record RavdessName(int Modality, int VocalChannel, int EmotionCode, int Intensity, int Statement,
    int Repetition, int Actor)
{
    public static readonly string[] EmotionNames = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];

    public Emotion Emotion => (Emotion)(EmotionCode - 1); // codes 01..08 follow Emotion's order
    public string NativeLabel => EmotionNames[EmotionCode - 1];
    public string Gender => Actor % 2 == 1 ? "male" : "female";
    public bool IsSong => VocalChannel == 2;
    public MediaKind Kind => Modality switch { 1 => MediaKind.AudioVisual, 2 => MediaKind.Video, _ => MediaKind.Audio };

    public string FileStem => $"{Modality:00}-{VocalChannel:00}-{EmotionCode:00}-{Intensity:00}-{Statement:00}-{Repetition:00}-{Actor:00}";

    public static NameParse<RavdessName> Parse(string fileName)
    {
        var stem = System.IO.Path.GetFileNameWithoutExtension(fileName);
        var parts = stem.Split('-');
        if (parts.Length != 7) return NameParse<RavdessName>.Fail($"expected 7 dash-separated fields MM-VV-EE-II-SS-RR-AA, found {parts.Length}");
        var v = new int[7];
        string[] names = ["modality", "vocal channel", "emotion", "intensity", "statement", "repetition", "actor"];
        for (var i = 0; i < 7; i++)
            if (parts[i].Length != 2 || !int.TryParse(parts[i], System.Globalization.NumberStyles.None, null, out v[i]))
                return NameParse<RavdessName>.Fail($"{names[i]} field '{parts[i]}' is not a two-digit number");
        if (v[0] is < 1 or > 3) return NameParse<RavdessName>.Fail($"modality {parts[0]} is not 01, 02 or 03");
        if (v[1] is < 1 or > 2) return NameParse<RavdessName>.Fail($"vocal channel {parts[1]} is not 01 (speech) or 02 (song)");
        if (v[2] is < 1 or > 8) return NameParse<RavdessName>.Fail($"emotion {parts[2]} is not in 01..08");
        if (v[3] is < 1 or > 2) return NameParse<RavdessName>.Fail($"intensity {parts[3]} is not 01 or 02");
        if (v[2] == 1 && v[3] == 2) return NameParse<RavdessName>.Fail("neutral has no strong intensity (02) in RAVDESS");
        if (v[4] is < 1 or > 2) return NameParse<RavdessName>.Fail($"statement {parts[4]} is not 01 or 02");
        if (v[5] is < 1 or > 2) return NameParse<RavdessName>.Fail($"repetition {parts[5]} is not 01 or 02");
        if (v[6] is < 1 or > 99) return NameParse<RavdessName>.Fail($"actor {parts[6]} is not in 01..99");
        return NameParse<RavdessName>.Success(new RavdessName(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
    }
}
