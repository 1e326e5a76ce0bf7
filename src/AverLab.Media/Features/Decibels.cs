namespace AverLab.Media.Features;

/// <summary>librosa.power_to_db / amplitude_to_db: 10 log10(max(amin, S)) - 10 log10(max(amin, ref)), then values
/// below (max - top_db) are raised to it (the max over the whole matrix). A null ref means ref = max(S)
/// (librosa's ref=np.max); a null top_db disables clipping.</summary>
public static class Decibels
{
    public static FeatureMatrix PowerToDb(FeatureMatrix s, double? reference = 1.0, double amin = 1e-10, double? topDb = 80.0)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (amin <= 0) throw new ArgumentOutOfRangeException(nameof(amin), amin, "amin must be positive");
        var r = reference ?? (s.Data.Length == 0 ? 1.0 : s.Data.Max());
        var refDb = 10.0 * Math.Log10(Math.Max(amin, Math.Abs(r)));
        var o = new FeatureMatrix(s.Rows, s.Cols);
        var max = double.NegativeInfinity;
        for (var i = 0; i < s.Data.Length; i++)
        {
            var v = 10.0 * Math.Log10(Math.Max(amin, s.Data[i])) - refDb;
            o.Data[i] = (float)v;
            if (v > max) max = v;
        }
        if (topDb is { } top)
        {
            if (top < 0) throw new ArgumentOutOfRangeException(nameof(topDb), top, "top_db must be non-negative");
            var floor = (float)(max - top);
            for (var i = 0; i < o.Data.Length; i++) if (o.Data[i] < floor) o.Data[i] = floor;
        }
        return o;
    }

    /// <summary>librosa.amplitude_to_db: power_to_db(S^2, ref^2, amin^2, top_db).</summary>
    public static FeatureMatrix AmplitudeToDb(FeatureMatrix s, double? reference = 1.0, double amin = 1e-5, double? topDb = 80.0)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sq = new FeatureMatrix(s.Rows, s.Cols);
        for (var i = 0; i < s.Data.Length; i++) sq.Data[i] = s.Data[i] * s.Data[i];
        var r = reference ?? (s.Data.Length == 0 ? 1.0 : s.Data.Max(Math.Abs));
        return PowerToDb(sq, r * r, amin * amin, topDb);
    }
}
