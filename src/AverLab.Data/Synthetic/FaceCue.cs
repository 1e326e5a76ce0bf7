using AverLab.Data.Corpora;

namespace AverLab.Data.Synthetic;

/// <summary>The facial cues of one emotion in the synthetic corpus.</summary>
/// <param name="MouthCurve">Corner lift: positive smiles, negative frowns (fraction of mouth half-width).</param>
/// <param name="MouthOpen">Lip gap (fraction of mouth width).</param>
/// <param name="MouthWidth">Mouth width relative to neutral.</param>
/// <param name="BrowAngle">Inner brow ends up (positive: sad, fear) or down (negative: anger).</param>
/// <param name="BrowRaise">Brow height offset (positive raises).</param>
/// <param name="EyeOpen">Eye opening relative to neutral.</param>
public sealed record FaceCue(double MouthCurve, double MouthOpen, double MouthWidth, double BrowAngle, double BrowRaise, double EyeOpen)
{
    public static FaceCue For(Emotion e) => e switch
    {
        Emotion.Neutral => new FaceCue(0.00, 0.03, 1.00, 0.0, 0.0, 1.00),
        Emotion.Calm => new FaceCue(0.12, 0.00, 1.00, 0.0, -0.2, 0.70),
        Emotion.Happy => new FaceCue(0.45, 0.18, 1.20, 0.0, 0.1, 0.75),
        Emotion.Sad => new FaceCue(-0.35, 0.02, 0.92, 0.9, 0.0, 0.70),
        Emotion.Angry => new FaceCue(-0.10, 0.05, 0.88, -1.0, -0.7, 0.85),
        Emotion.Fearful => new FaceCue(-0.15, 0.30, 1.05, 0.7, 0.8, 1.40),
        Emotion.Disgust => new FaceCue(-0.30, 0.10, 0.85, -0.5, -0.4, 0.55),
        Emotion.Surprised => new FaceCue(0.00, 0.55, 0.80, 0.0, 1.0, 1.50),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, null),
    };

    /// <summary>Neutral blended towards this cue by <paramref name="k"/> (0 neutral, 1 full, &gt;1 exaggerated).</summary>
    public FaceCue Blend(double k)
    {
        var n = For(Emotion.Neutral);
        double S(double v, double nv) => nv + (v - nv) * k;
        return new FaceCue(S(MouthCurve, n.MouthCurve), Math.Max(0, S(MouthOpen, n.MouthOpen)), S(MouthWidth, n.MouthWidth),
            S(BrowAngle, n.BrowAngle), S(BrowRaise, n.BrowRaise), Math.Max(0.15, S(EyeOpen, n.EyeOpen)));
    }

    /// <summary>This cue with token-level noise on every parameter.</summary>
    public FaceCue Jitter(Random r, double amount) => new(
        MouthCurve + amount * 0.1 * r.Gaussian(), Math.Max(0, MouthOpen + amount * 0.05 * r.Gaussian()),
        MouthWidth * (1 + amount * 0.05 * r.Gaussian()), BrowAngle + amount * 0.2 * r.Gaussian(),
        BrowRaise + amount * 0.2 * r.Gaussian(), Math.Max(0.15, EyeOpen * (1 + amount * 0.1 * r.Gaussian())));
}
