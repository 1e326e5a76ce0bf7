using System.Runtime.InteropServices;
using AverLab.IO;

namespace AverLab.Media.Tests.Features;

/// <summary>Reads the tests/golden/media_mfcc_*.safetensors fixtures written by tests/golden/make_media_golden.py.</summary>
internal static class GoldenFixture
{
    public static string PathOf(int clip) => Path.Combine(AppContext.BaseDirectory, "golden", $"media_mfcc_{clip}.safetensors");

    public static Dictionary<string, SafeTensorEntry> Load(int clip) => SafeTensors.ReadRaw(PathOf(clip)).entries;

    /// <summary>The 3 s input excerpt: int16 PCM / 32768, as librosa.load returns it.</summary>
    public static float[] Input(Dictionary<string, SafeTensorEntry> e)
    {
        var raw = e["input_i16"];
        Assert.Equal("I16", raw.Dtype);
        var pcm = MemoryMarshal.Cast<byte, short>(raw.Data);
        var y = new float[pcm.Length];
        for (var i = 0; i < y.Length; i++) y[i] = pcm[i] / 32768f;
        return y;
    }

    /// <summary>Asserts |actual - expected| &lt;= rel * max(|expected|, floor) element-wise, reporting the worst one.</summary>
    public static void AssertClose(float[] expected, float[] actual, double rel, double floor, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        var at = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            var ratio = Math.Abs(actual[i] - expected[i]) / (rel * Math.Max(Math.Abs(expected[i]), floor));
            if (!(ratio <= worst)) { worst = ratio; at = i; }
        }
        Assert.True(worst <= 1.0, $"{what}: element {at} expected {expected[Math.Max(at, 0)]} got {actual[Math.Max(at, 0)]} ({worst:F2} x tolerance)");
    }
}
