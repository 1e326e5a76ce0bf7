using AverLab.Inference;
using AverLab.Predict;
using FsCheck;
using FsCheck.Fluent;

namespace AverLab.Inference.Tests;

/// <summary>Issue 16: mutated WAV, JPEG and MP4 bytes through the Predict CLI's per-file entry point (in process):
/// every file either gives a result with finite probabilities or one error line that names the file and comes from a
/// reported input problem, never a crash type (NullReference, IndexOutOfRange, ...). Each case decodes and runs a
/// model, so these are hundreds of cases; the config properties (AverLab.Training.Tests) carry the ten thousands.</summary>
[Collection("trained run")]
public sealed class PredictFuzzTests(TrainedRunFixture fx)
{
    private const string Messi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

    private static byte[] Mutate(byte[] seed, Random rng, int headerBytes)
    {
        var b = new List<byte>(seed);
        var edits = rng.Next(1, 8);
        for (var e = 0; e < edits && b.Count > 0; e++)
        {
            switch (rng.Next(7))
            {
                case 0: b[rng.Next(b.Count)] = (byte)rng.Next(256); break;
                case 1: b[rng.Next(Math.Min(b.Count, headerBytes))] ^= (byte)(1 << rng.Next(8)); break;
                case 2:
                    var from = rng.Next(b.Count);
                    b.RemoveRange(from, Math.Min(rng.Next(1, 64), b.Count - from));
                    break;
                case 3: b = b.Take(rng.Next(b.Count + 1)).ToList(); break;
                case 4: b.InsertRange(rng.Next(b.Count + 1), Enumerable.Range(0, rng.Next(1, 16)).Select(_ => (byte)rng.Next(256))); break;
                case 5:
                    var at = rng.Next(Math.Max(1, Math.Min(b.Count - 3, headerBytes)));
                    var v = rng.Next(4) switch { 0 => 0u, 1 => uint.MaxValue, 2 => (uint)rng.Next(), _ => (uint)rng.Next(64) };
                    for (var k = 0; k < 4 && at + k < b.Count; k++) b[at + k] = (byte)(v >> (8 * k));
                    break;
                default: b.Clear(); break;
            }
        }
        return b.ToArray();
    }

    private static bool Clean(string path, (AnalysisResult? Result, string? Error, bool Expected) r)
    {
        var ok = r.Result is { } result
            ? result.File == path && (result.Overall == null || result.Overall.Probabilities.Values.All(double.IsFinite))
            : r.Expected && r.Error is { Length: > 0 } e && e.Contains(path, StringComparison.Ordinal) && !e.Contains('\n');
        return ok ? true : throw new Xunit.Sdk.XunitException($"not handled cleanly: {r.Error ?? "a result with non-finite probabilities"}");
    }

    /// <summary>Runs <paramref name="cases"/> mutations of <paramref name="seed"/> (written as *.ext) through one analyzer.</summary>
    private void Fuzz(Analyzer analyzer, byte[] seed, string ext, int cases, int headerBytes)
    {
        var dir = Directory.CreateTempSubdirectory("averlab-fuzz-").FullName;
        try
        {
            var n = 0;
            Prop.ForAll(ArbMap.Default.GeneratorFor<int>().ToArbitrary(), s =>
            {
                var path = Path.Combine(dir, $"m{n++}{ext}");
                File.WriteAllBytes(path, Mutate(seed, new Random(s), headerBytes));
                var ok = Clean(path, PredictCli.AnalyzeFile(analyzer, path, new AnalysisOptions { Fps = 2 }));
                File.Delete(path);
                return ok;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(cases));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void MutatedWavsNeverCrashTheAnalysis()
    {
        var wav = File.ReadAllBytes(Directory.GetFiles(fx.Corpus, "03-01-05-*.wav", SearchOption.AllDirectories).Order().First());
        using var p = Predictor.Load(fx.Run);
        using var a = new Analyzer(p, null);
        Fuzz(a, wav, ".wav", 300, 64);
    }

    [Fact]
    public void MutatedJpegsNeverCrashTheAnalysis()
    {
        var jpeg = File.ReadAllBytes(Messi);
        using var p = Predictor.Load(fx.FaceRun);
        using var a = new Analyzer(null, p);
        Fuzz(a, jpeg, ".jpg", 150, 600);
    }

    [Fact]
    public void MutatedMp4sNeverCrashTheAnalysis()
    {
        var mp4 = File.ReadAllBytes(Directory.GetFiles(fx.Corpus, "01-01-*.mp4", SearchOption.AllDirectories).Order().First());
        using var audio = Predictor.Load(fx.Run);
        using var face = Predictor.Load(fx.FaceRun);
        using var a = new Analyzer(audio, face);
        Fuzz(a, mp4, ".mp4", 25, 2000);
    }
}
