using AverLab.Media.Features;

namespace AverLab.Media.Tests.Features;

/// <summary>Spectral, chroma and rhythm features of RAVDESS clip 0 against the numpy re-implementation of librosa
/// 0.10 (tests/golden/make_media_golden.py, fixture media_spectral_0). Tolerances: |a - e| &lt;= rel * max(|e|, floor)
/// per element, stated per feature below.</summary>
public sealed class SpectralGoldenTests
{
    private const int Sr = 48000;
    private static readonly Dictionary<string, AverLab.IO.SafeTensorEntry> Golden =
        AverLab.IO.SafeTensors.ReadRaw(Path.Combine(AppContext.BaseDirectory, "golden", "media_spectral_0.safetensors")).entries;
    private static readonly float[] Y = GoldenFixture.Input(GoldenFixture.Load(0));
    private static readonly FeatureMatrix Magnitude = SpectralFeatures.Magnitude(Y);

    private static void Close(string name, float[] actual, double rel, double floor) =>
        GoldenFixture.AssertClose(Golden[name].ToFloat32(), actual, rel, floor, name);

    [Fact]
    public void TimeDomainFeatures()
    {
        Close("rms", TimeDomain.Rms(Y), 1e-5, 1e-6);
        Close("zcr", TimeDomain.ZeroCrossingRate(Y), 1e-6, 1e-3);
    }

    [Fact]
    public void CentroidBandwidthFlatness()
    {
        Assert.Equal(282, Magnitude.Cols);
        Close("centroid", SpectralFeatures.Centroid(Magnitude, Sr), 1e-4, 1.0);
        Close("bandwidth", SpectralFeatures.Bandwidth(Magnitude, Sr), 1e-4, 1.0);
        Close("flatness", SpectralFeatures.Flatness(Magnitude), 1e-3, 1e-6);
    }

    [Fact]
    public void RolloffPicksTheSameBinInAlmostEveryFrame()
    {
        // A discrete choice: float32 vs float64 cumulative sums may tip a frame sitting exactly on the threshold
        // by one bin (46.875 Hz); allow that for at most 2 of 282 frames.
        var e = Golden["rolloff"].ToFloat32();
        var a = SpectralFeatures.Rolloff(Magnitude, Sr);
        var off = e.Zip(a).Count(p => Math.Abs(p.First - p.Second) > 1e-3);
        Assert.True(off <= 2, $"{off} frames differ");
        Assert.All(e.Zip(a), p => Assert.True(Math.Abs(p.First - p.Second) <= 46.875 + 1e-3));
    }

    [Fact]
    public void ContrastMatches() =>
        Close("contrast", SpectralFeatures.Contrast(Magnitude, Sr).Data, 1e-3, 1.0);

    [Fact]
    public void ChromaWithEstimatedTuningMatches()
    {
        var power = new FeatureMatrix(Magnitude.Rows, Magnitude.Cols, Magnitude.Data.Select(m => m * m).ToArray());
        Assert.Equal(Golden["tuning"].ToFloat32()[0], Chroma.EstimateTuning(power, Sr), 1e-6);
        Close("chroma", Chroma.FromPowerSpectrogram(power, Sr).Data, 1e-3, 1e-2);
    }

    [Fact]
    public void OnsetStrengthAndTempoMatch()
    {
        var onset = Rhythm.OnsetStrength(Y, Sr);
        Close("onset", onset, 1e-3, 0.1);
        Assert.Equal(Golden["tempo"].ToFloat32()[0], Rhythm.Tempo(onset, Sr), 1e-2);
    }

    [Fact]
    public void HandcraftedVectorMatchesTheNumpyReference()
    {
        // Tolerance |a - e| <= 1e-3 * max(|e|, 1) for every one of the 1020 values (beat count and tempo included).
        var expected = Golden["handcrafted"].ToFloat32();
        var actual = HandcraftedFeatures.Extract(Y, Sr);
        var bad = Enumerable.Range(0, 1020)
            .Where(i => !(Math.Abs(actual[i] - expected[i]) <= 1e-3 * Math.Max(Math.Abs(expected[i]), 1)))
            .Select(i => $"{HandcraftedFeatures.Names[i]}: expected {expected[i]}, got {actual[i]}").ToList();
        Assert.True(bad.Count == 0, string.Join("; ", bad.Take(20)) + $" ({bad.Count} values off)");
    }
}
