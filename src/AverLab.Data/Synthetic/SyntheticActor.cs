namespace AverLab.Data.Synthetic;

/// <summary>Per-actor traits of the synthetic corpus: voice (F0 base, vocal-tract length as a formant scale, level and
/// tilt offsets) and face (skin tone, face width, eye spacing). Odd actors are male, even female, as in RAVDESS.</summary>
public sealed record SyntheticActor(int Id, double F0Base, double FormantScale, double GainDb, double TiltOffset,
    double SkinTone, double FaceWidth, double EyeSpacing)
{
    public bool Male => Id % 2 == 1;

    public static SyntheticActor Create(int id, int seed)
    {
        var r = new Random(SeedMix.Of(seed, 1000 + id));
        var male = id % 2 == 1;
        return new SyntheticActor(id,
            F0Base: (male ? 115 : 205) * (0.88 + 0.24 * r.NextDouble()),
            FormantScale: (male ? 1.0 : 1.12) * (0.95 + 0.10 * r.NextDouble()),
            GainDb: -2 + 4 * r.NextDouble(),
            TiltOffset: -0.03 + 0.06 * r.NextDouble(),
            SkinTone: 0.45 + 0.35 * r.NextDouble(),
            FaceWidth: 0.92 + 0.16 * r.NextDouble(),
            EyeSpacing: 0.9 + 0.2 * r.NextDouble());
    }
}
