using AverLab.Media.Audio;
using FsCheck;
using FsCheck.Fluent;
using AverLab.Tests.Support;

namespace AverLab.Media.Tests.Audio;

/// <summary>Thousands of random byte mutations and truncations of valid WAV files: the reader either returns a
/// well-formed signal or throws <see cref="MediaFormatException"/>; nothing else may escape.</summary>
public sealed class WavReaderPropertyTests
{
    private static readonly byte[][] Seeds =
    [
        WavBuilder.TypicalPcm16(),
        WavWriter.Encode(new AudioSignal([Enumerable.Range(0, 40).Select(i => i / 50f).ToArray(), new float[40]], 8000), WavSampleFormat.Pcm24),
        WavWriter.Encode(new AudioSignal(Enumerable.Range(0, 30).Select(i => -i / 40f).ToArray(), 8000), WavSampleFormat.Float32),
        new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(0, 3, 48000, 32, extensible: true, subTag: 3))
            .Chunk("data", WavBuilder.Float32(Enumerable.Range(0, 30).Select(i => i / 64f).ToArray())).Chunk("LIST", new byte[5]).Build(),
        new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(3, 1, 8000, 64)).Chunk("data", WavBuilder.Float64(0.5, -0.5, 0.25)).Build(),
        new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 2, 8000, 8)).Chunk("data", [1, 2, 3, 4, 5]).Build(),
    ];

    private static byte[] Mutate(int seedIndex, int randomSeed)
    {
        var rng = new Random(randomSeed);
        var b = new List<byte>(Seeds[seedIndex % Seeds.Length]);
        var edits = rng.Next(1, 6);
        for (var e = 0; e < edits && b.Count > 0; e++)
        {
            switch (rng.Next(6))
            {
                case 0: b[rng.Next(b.Count)] = (byte)rng.Next(256); break;                          // random byte
                case 1: b[rng.Next(Math.Min(b.Count, 80))] ^= (byte)(1 << rng.Next(8)); break;        // header bit flip
                case 2: b.RemoveAt(rng.Next(b.Count)); break;                                        // delete a byte
                case 3: b = b.Take(rng.Next(b.Count + 1)).ToList(); break;                            // truncate
                case 4: b.Insert(rng.Next(b.Count + 1), (byte)rng.Next(256)); break;                  // insert
                default:                                                                              // size field
                    var at = rng.Next(Math.Max(1, Math.Min(b.Count - 3, 80)));
                    var v = rng.Next(4) switch { 0 => 0u, 1 => uint.MaxValue, 2 => (uint)rng.Next(), _ => (uint)rng.Next(64) };
                    for (var k = 0; k < 4 && at + k < b.Count; k++) b[at + k] = (byte)(v >> (8 * k));
                    break;
            }
        }
        return b.ToArray();
    }

    private static bool DecodesOrFailsCleanly(byte[] bytes)
    {
        try
        {
            var s = WavReader.Decode(bytes, "mutant.wav");
            return s.Length > 0 && s.Channels.All(c => c.All(v => float.IsFinite(v)))
                && (long)s.Length * s.ChannelCount <= bytes.Length;
        }
        catch (MediaFormatException e)
        {
            return e.Path == "mutant.wav" && e.Problem.Length > 0;
        }
    }

    [Fact]
    [Trait("Category", Category.Fuzz)]
    public void RandomMutationsOnlyEverRaiseMediaFormatException()
    {
        var gen = Gen.Zip(Gen.Choose(0, Seeds.Length - 1), ArbMap.Default.GeneratorFor<int>());
        Prop.ForAll(gen.ToArbitrary(), t => DecodesOrFailsCleanly(Mutate(t.Item1, t.Item2)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(FuzzScale.Cases(5000)));
    }

    [Fact]
    public void EveryTruncationOfEverySeedIsHandled()
    {
        foreach (var seed in Seeds)
            for (var n = 0; n <= seed.Length; n++)
                Assert.True(DecodesOrFailsCleanly(seed.AsSpan(0, n).ToArray()), $"truncated to {n} bytes");
    }
}
