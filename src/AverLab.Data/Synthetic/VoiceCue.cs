using AverLab.Data.Corpora;

namespace AverLab.Data.Synthetic;

/// <summary>The acoustic cues of one emotion in the synthetic corpus. Every single cue ties several classes (e.g.
/// energy is low for calm and sad, high for happy, angry and surprised), so no one scalar separates the eight
/// classes; their combination does.</summary>
/// <param name="F0Scale">F0 relative to the actor's base.</param>
/// <param name="F0Slope">F0 drift across the utterance, in octaves (negative falls).</param>
/// <param name="F0Bump">A rise-fall (positive) or fall-rise (negative) excursion mid-utterance, in semitones.</param>
/// <param name="GainDb">Voiced RMS level relative to neutral.</param>
/// <param name="Rate">Syllables per second.</param>
/// <param name="Tilt">Glottal low-pass pole (0.5 flat, bright .. 0.95 steep, soft).</param>
/// <param name="Breath">Aspiration noise relative to the voiced source.</param>
/// <param name="Jitter">Period-to-period F0 perturbation (fraction).</param>
/// <param name="F1Scale">First-formant scale (mouth opening).</param>
/// <param name="F2Scale">Second-formant scale (lip spreading raises it, disgust lowers it).</param>
/// <param name="Tremor">6 Hz F0 tremor depth (fraction).</param>
public sealed record VoiceCue(double F0Scale, double F0Slope, double F0Bump, double GainDb, double Rate, double Tilt,
    double Breath, double Jitter, double F1Scale, double F2Scale, double Tremor)
{
    public static VoiceCue For(Emotion e) => e switch
    {
        //                              F0    slope  bump  gain  rate  tilt  breath jitter F1    F2    tremor
        Emotion.Neutral => new VoiceCue(1.00, -0.10, 0.0, 0.0, 4.2, 0.80, 0.04, 0.005, 1.00, 1.00, 0.000),
        Emotion.Calm => new VoiceCue(0.97, -0.15, 0.0, -5.0, 3.3, 0.86, 0.05, 0.004, 1.00, 1.00, 0.000),
        Emotion.Happy => new VoiceCue(1.25, 0.05, 3.0, 4.0, 5.2, 0.65, 0.04, 0.010, 1.06, 1.12, 0.000),
        Emotion.Sad => new VoiceCue(0.92, -0.35, 0.0, -5.0, 3.2, 0.93, 0.40, 0.020, 0.90, 0.92, 0.010),
        Emotion.Angry => new VoiceCue(1.22, -0.30, 1.0, 5.0, 5.4, 0.50, 0.03, 0.020, 1.14, 1.00, 0.000),
        Emotion.Fearful => new VoiceCue(1.45, 0.10, 0.0, 0.0, 5.4, 0.90, 0.25, 0.030, 1.00, 1.05, 0.040),
        Emotion.Disgust => new VoiceCue(0.98, -0.05, -2.0, 0.0, 3.3, 0.80, 0.10, 0.015, 1.04, 0.85, 0.000),
        Emotion.Surprised => new VoiceCue(1.45, 0.45, 4.0, 4.0, 4.2, 0.72, 0.05, 0.010, 1.12, 1.04, 0.000),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, null),
    };

    /// <summary>This cue with its deviation from neutral scaled (RAVDESS's strong intensity exaggerates).</summary>
    public VoiceCue Intensify(double k)
    {
        var n = For(Emotion.Neutral);
        double S(double v, double nv) => nv + (v - nv) * k;
        return new VoiceCue(S(F0Scale, n.F0Scale), S(F0Slope, n.F0Slope), S(F0Bump, n.F0Bump), S(GainDb, n.GainDb),
            S(Rate, n.Rate), Math.Clamp(S(Tilt, n.Tilt), 0.3, 0.97), Math.Max(0, S(Breath, n.Breath)), Math.Max(0, S(Jitter, n.Jitter)),
            S(F1Scale, n.F1Scale), S(F2Scale, n.F2Scale), Math.Max(0, S(Tremor, n.Tremor)));
    }
}
