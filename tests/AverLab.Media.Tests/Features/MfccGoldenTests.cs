using AverLab.Media.Features;

namespace AverLab.Media.Tests.Features;

/// <summary>Parity with the numpy re-implementation of librosa 0.10 (tests/golden/make_media_golden.py) on three
/// real RAVDESS speech excerpts with the CNN+Transformer seed's settings. Tolerance on dB-valued outputs (mel dB,
/// MFCC): |actual - expected| &lt;= 1e-3 * max(|expected|, 1), i.e. 1e-3 relative with a 1-unit floor so values
/// crossing zero are not held to an impossible relative bound.</summary>
public sealed class MfccGoldenTests
{
    private const double Rel = 1e-3, Floor = 1.0;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void MfccMatchesLibrosaReference(int clip)
    {
        var e = GoldenFixture.Load(clip);
        var y = GoldenFixture.Input(e);
        Assert.Equal(144000, y.Length);
        var mfcc = new MfccExtractor(MfccOptions.CnnTransformerSeed).Extract(y);
        Assert.Equal(40, mfcc.Rows);
        Assert.Equal(282, mfcc.Cols);
        Assert.Equal([40L, 282L], e["mfcc"].Shape);
        GoldenFixture.AssertClose(e["mfcc"].ToFloat32(), mfcc.Data, Rel, Floor, $"mfcc clip {clip}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void MelDbMatchesLibrosaReference(int clip)
    {
        var e = GoldenFixture.Load(clip);
        var y = GoldenFixture.Input(e);
        var melDb = new MfccExtractor(MfccOptions.CnnTransformerSeed).ExtractMelDb(y);
        Assert.Equal(128, melDb.Rows);
        Assert.Equal(282, melDb.Cols);
        GoldenFixture.AssertClose(e["mel_db"].ToFloat32(), melDb.Data, Rel, Floor, $"mel_db clip {clip}");
    }

    [Fact]
    public void DeltasMatchSavgolInterp()
    {
        var e = GoldenFixture.Load(0);
        var mfcc = new FeatureMatrix(40, 282, e["mfcc"].ToFloat32());
        GoldenFixture.AssertClose(e["delta1"].ToFloat32(), Deltas.Compute(mfcc, 9, 1).Data, 1e-4, 1.0, "delta order 1");
        GoldenFixture.AssertClose(e["delta2"].ToFloat32(), Deltas.Compute(mfcc, 9, 2).Data, 1e-4, 1.0, "delta order 2");
    }

    [Fact]
    public void ExtractorReusesBuffersAcrossCalls()
    {
        var e = GoldenFixture.Load(1);
        var y = GoldenFixture.Input(e);
        var x = new MfccExtractor(MfccOptions.CnnTransformerSeed);
        var first = x.Extract(y).Data;
        var shorter = x.Extract(y.AsSpan(0, 48000));
        Assert.Equal(1 + 48000 / 512, shorter.Cols);
        Assert.Equal(first, x.Extract(y).Data);
        var many = MfccExtractor.ExtractMany([y, y.AsSpan(0, 48000).ToArray(), y], MfccOptions.CnnTransformerSeed, 2);
        Assert.Equal(first, many[0].Data);
        Assert.Equal(shorter.Data, many[1].Data);
        Assert.Equal(first, many[2].Data);
    }
}
