using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AverLab.Inference;
using AverLab.Media.Audio;
using AverLab.Media.Faces;
using AverLab.Media.Images;
using AverLab.Predict;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;
using AverLab.Tests.Support;

namespace AverLab.Inference.Tests;

/// <summary>Mutated WAV, JPEG/PNG and MP4 bytes through the Predict CLI in process, after its models are
/// loaded (<see cref="PredictCli.Analyze"/>: the path <c>averlab-predict file --model ...</c> takes). Per case: no
/// exception escapes, the exit code is 0 (a result JSON naming the file, finite probabilities) or 3 (exactly one
/// stderr line, "error: ", naming the file, from a reported input problem, not an internal error). Most cases go to
/// the WAV reader and the image decoder and the analysis behind them (short seeds, so a case takes milliseconds):
/// headers generated field by field (format tag, channels, rate, block align, bits, chunk order and sizes, odd and
/// unknown chunks), JPEG segments (markers, lengths, frame sizes), truncations, bit flips, inserted and deleted
/// bytes, and one kind's bytes under another's extension. MP4s spawn ffmpeg, so they get a few dozen.</summary>
[Collection("trained run")]
[Trait("Category", Category.Fuzz)]
public sealed class PredictFuzzTests(TrainedRunFixture fx, ITestOutputHelper log)
{
    private const string Messi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"; // Debian opencv-doc (scripts/setup.sh)
    private static readonly AnalysisOptions Options = new() { Fps = 2 };

    // ---------- seeds ----------

    /// <summary>The first 0.3 s of a synthetic corpus clip (16 kHz mono).</summary>
    private float[] Samples()
    {
        var wav = Directory.GetFiles(fx.Corpus, "03-01-05-*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var mono = WavReader.Read(wav).ToMono();
        return mono[..Math.Min(mono.Length, 4800)];
    }

    /// <summary>A face crop of messi5.jpg (the largest Haar face with a margin, 112 px), so every intact image case
    /// detects a face and runs the face model.</summary>
    private static RgbImage FaceSeed()
    {
        var image = ImageCodec.Load(Messi);
        using var detector = new HaarFaceDetector();
        var b = detector.Detect(image.ToGray()).Largest ?? throw new InvalidOperationException("no face in messi5.jpg");
        var m = b.Width / 2;
        var (x0, y0) = (Math.Max(0, b.X - m), Math.Max(0, b.Y - m));
        var (x1, y1) = (Math.Min(image.Width, b.X + b.Width + m), Math.Min(image.Height, b.Y + b.Height + m));
        var crop = new byte[(x1 - x0) * (y1 - y0) * 3];
        for (var y = y0; y < y1; y++)
            Array.Copy(image.Pixels, (y * image.Width + x0) * 3, crop, (y - y0) * (x1 - x0) * 3, (x1 - x0) * 3);
        var face = new RgbImage(x1 - x0, y1 - y0, crop);
        // Nearest-neighbour to 112 px: small enough that a case takes milliseconds, large enough for the detector.
        const int size = 112;
        var px = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                Array.Copy(face.Pixels, ((y * face.Height / size) * face.Width + x * face.Width / size) * 3, px, (y * size + x) * 3, 3);
        return new RgbImage(size, size, px);
    }

    // ---------- WAV: headers generated field by field, then byte mutations ----------

    private static void U16(List<byte> b, int v) { b.Add((byte)v); b.Add((byte)(v >> 8)); }
    private static void U32(List<byte> b, uint v) { for (var k = 0; k < 4; k++) b.Add((byte)(v >> (8 * k))); }
    private static void Chunk(List<byte> b, string id, uint size, IReadOnlyCollection<byte> body, bool pad)
    {
        b.AddRange(Encoding.ASCII.GetBytes(id));
        U32(b, size);
        b.AddRange(body);
        if (pad && (body.Count & 1) == 1) b.Add(0);
    }

    /// <summary>A WAV whose every header field and chunk is drawn: mostly valid values of every format the reader
    /// takes (PCM 8/16/24/32, float 32/64, extensible), sometimes a lie (block align, sizes past the end, 0, odd
    /// sizes, chunks out of order or missing, an unknown tag: that one goes to ffmpeg, so it is rare).</summary>
    private static byte[] GeneratedWav(float[] samples, Random r)
    {
        var isFloat = r.Next(4) == 0;
        int bits = isFloat ? (r.Next(2) == 0 ? 32 : 64) : new[] { 8, 16, 16, 24, 32 }[r.Next(5)];
        var channels = r.Next(10) switch { < 6 => 1, < 9 => 2, _ => r.Next(0, 9) };
        // Mostly the model's 16 kHz: any other rate is resampled by ffmpeg (a process per case), so those are rare.
        var rate = r.Next(100) switch
        {
            < 4 => (uint)r.Next(0, 1000), // 0 and rates too low to be audio: refused before any resampling
            < 8 => (uint)r.Next(),
            8 => 8000u, 9 => 44100u, _ => 16000u,
        };
        var frames = r.Next(6) == 0 ? r.Next(0, 4) : r.Next(samples.Length / 4, samples.Length + 1);
        var bytesPerSample = bits / 8;
        var data = new List<byte>(frames * Math.Max(1, channels) * bytesPerSample);
        for (var i = 0; i < frames; i++)
            for (var c = 0; c < Math.Max(1, channels); c++)
            {
                var v = samples[i] * (c == 0 ? 1 : 0.5f);
                if (r.Next(2000) == 0) v = r.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => 1e30f };
                switch (isFloat, bits)
                {
                    case (true, 32): U32(data, BitConverter.SingleToUInt32Bits(v)); break;
                    case (true, _):
                        var d = BitConverter.DoubleToUInt64Bits(r.Next(3000) == 0 ? 1e300 : v);
                        U32(data, (uint)d); U32(data, (uint)(d >> 32));
                        break;
                    case (_, 8): data.Add((byte)Math.Clamp(v * 128 + 128, 0, 255)); break;
                    case (_, 16): U16(data, (short)Math.Clamp(v * 32767, -32768, 32767)); break;
                    case (_, 24):
                        var s24 = (int)Math.Clamp(v * 8388607, -8388608, 8388607);
                        data.Add((byte)s24); data.Add((byte)(s24 >> 8)); data.Add((byte)(s24 >> 16));
                        break;
                    default: U32(data, (uint)(int)Math.Clamp(v * 2147483647.0, int.MinValue, int.MaxValue)); break;
                }
            }
        if (r.Next(5) == 0 && data.Count > 0) data.RemoveRange(data.Count - 1 - r.Next(Math.Min(data.Count, 7)), 1); // a partial last frame

        var tag = r.Next(400) == 0 ? new[] { 2, 6, 7, 0x11, 0x55, r.Next(65536) }[r.Next(6)] : isFloat ? 3 : 1;
        var extensible = r.Next(6) == 0;
        var blockAlign = r.Next(12) == 0 ? r.Next(0, 65536) : Math.Max(1, channels) * bits / 8;
        var fmt = new List<byte>();
        U16(fmt, extensible ? 0xFFFE : tag);
        U16(fmt, channels);
        U32(fmt, rate);
        U32(fmt, r.Next(10) == 0 ? (uint)r.Next() : rate * (uint)blockAlign);
        U16(fmt, blockAlign);
        U16(fmt, r.Next(15) == 0 ? r.Next(0, 80) : bits);
        if (extensible)
        {
            U16(fmt, 22); U16(fmt, bits); U32(fmt, 0);
            byte[] guid = [0, 0, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            BinaryPrimitives.WriteUInt16LittleEndian(guid, (ushort)tag);
            if (r.Next(10) == 0) guid[r.Next(guid.Length)] ^= (byte)(1 << r.Next(8));
            fmt.AddRange(guid);
            if (r.Next(8) == 0)
            {
                var cut = r.Next(16, fmt.Count); // a short extensible fmt
                fmt.RemoveRange(cut, fmt.Count - cut);
            }
        }
        else if (r.Next(5) == 0) U16(fmt, 0); // cbSize of an 18-byte fmt

        uint Size(int actual) => r.Next(14) switch
        {
            0 => 0u, 1 => uint.MaxValue, 2 => (uint)r.Next(0, 16), 3 => (uint)(actual + r.Next(1, 100)), 4 => (uint)Math.Max(0, actual - r.Next(1, 8)),
            _ => (uint)actual,
        };
        var chunks = new List<(string Id, List<byte> Body)> { ("fmt ", fmt), ("data", data) };
        if (r.Next(3) == 0) chunks.Insert(r.Next(chunks.Count + 1), ("LIST", Enumerable.Range(0, r.Next(0, 40)).Select(i => (byte)('a' + i % 26)).ToList()));
        if (r.Next(4) == 0) chunks.Insert(r.Next(chunks.Count + 1), (new[] { "bext", "FLLR", "_PMX", "JUNK", "fact", "\0\0\0\0" }[r.Next(6)], Enumerable.Repeat((byte)r.Next(256), r.Next(0, 9)).ToList()));
        if (r.Next(15) == 0) chunks.RemoveAt(r.Next(chunks.Count));
        if (r.Next(20) == 0 && chunks.Count > 1) chunks.Add(chunks[r.Next(chunks.Count)]);
        if (r.Next(20) == 0) chunks.Reverse();

        var body = new List<byte>();
        body.AddRange("WAVE"u8.ToArray());
        var pad = r.Next(10) != 0;
        foreach (var (id, b) in chunks) Chunk(body, id, Size(b.Count), b, pad);
        var file = new List<byte>();
        file.AddRange(r.Next(40) == 0 ? "RIFX"u8.ToArray() : "RIFF"u8.ToArray());
        U32(file, r.Next(10) == 0 ? (uint)r.Next() : (uint)body.Count);
        file.AddRange(body);
        return file.ToArray();
    }

    // ---------- JPEG: segment-aware mutations ----------

    /// <summary>The offsets of the JPEG markers (0xFF followed by a marker byte, not stuffing or fill).</summary>
    private static List<int> Markers(byte[] b)
    {
        var at = new List<int>();
        for (var i = 0; i + 1 < b.Length; i++)
            if (b[i] == 0xFF && b[i + 1] is not (0x00 or 0xFF) and not (>= 0xD0 and <= 0xD7)) at.Add(i);
        return at;
    }

    private static byte[] MutateJpeg(byte[] seed, Random r)
    {
        var b = seed.ToList();
        var markers = Markers(seed);
        var edits = r.Next(1, 4);
        for (var e = 0; e < edits && b.Count > 4; e++)
        {
            markers = markers.Where(m => m + 4 < b.Count).ToList();
            if (markers.Count == 0) break;
            var m = markers[r.Next(markers.Count)];
            switch (r.Next(8))
            {
                case 0: b[m + 1] = (byte)r.Next(256); break; // the marker itself
                case 1: // the segment length
                    var len = r.Next(4) switch { 0 => 0, 1 => 0xFFFF, 2 => r.Next(0, 4), _ => r.Next(65536) };
                    b[m + 2] = (byte)(len >> 8); b[m + 3] = (byte)len;
                    break;
                case 2: b.RemoveRange(m, b.Count - m); break; // truncated at a segment
                case 3: // a segment removed
                    var next = markers.FirstOrDefault(x => x > m, b.Count);
                    b.RemoveRange(m, Math.Min(next, b.Count) - m);
                    break;
                case 4: // a segment repeated
                    var end = markers.FirstOrDefault(x => x > m, b.Count);
                    b.InsertRange(m, b.GetRange(m, Math.Min(end, b.Count) - m));
                    break;
                case 5: // the frame header's height, width or component count (SOF0..SOF2)
                    var sof = markers.FirstOrDefault(x => x + 9 < b.Count && b[x + 1] is 0xC0 or 0xC1 or 0xC2, -1);
                    if (sof < 0) goto case 6;
                    var field = sof + new[] { 5, 7, 9 }[r.Next(3)];
                    var v = r.Next(4) switch { 0 => 0, 1 => 0xFFFF, 2 => 1, _ => r.Next(65536) };
                    if (field == sof + 9) b[field] = (byte)v;
                    else { b[field] = (byte)(v >> 8); b[field + 1] = (byte)v; }
                    break;
                case 6: // bit flips inside a segment's body
                    for (var k = r.Next(1, 6); k > 0; k--)
                    {
                        var i = Math.Min(b.Count - 1, m + 4 + r.Next(64));
                        b[i] ^= (byte)(1 << r.Next(8));
                    }
                    break;
                default: // entropy-coded data: random bytes after the last marker but one
                    var i0 = r.Next(markers[^1] > 0 ? markers[^1] / 2 : 1, b.Count);
                    for (var k = r.Next(1, 20); k > 0 && i0 < b.Count; k--, i0++) b[i0] = (byte)r.Next(256);
                    break;
            }
        }
        return b.ToArray();
    }

    // ---------- generic byte mutations ----------

    private static byte[] Mutate(byte[] seed, Random r, int headerBytes)
    {
        var b = new List<byte>(seed);
        var edits = r.Next(1, 8);
        for (var e = 0; e < edits && b.Count > 0; e++)
        {
            switch (r.Next(9))
            {
                case 0: b[r.Next(b.Count)] = (byte)r.Next(256); break;
                case 1: case 2: b[r.Next(Math.Min(b.Count, headerBytes))] ^= (byte)(1 << r.Next(8)); break;
                case 3:
                    var from = r.Next(b.Count);
                    b.RemoveRange(from, Math.Min(r.Next(1, 64), b.Count - from));
                    break;
                case 4: b = b.Take(r.Next(b.Count + 1)).ToList(); break;
                case 5: b.InsertRange(r.Next(b.Count + 1), Enumerable.Range(0, r.Next(1, 16)).Select(_ => (byte)r.Next(256))); break;
                case 6: case 7:
                    var at = r.Next(Math.Max(1, Math.Min(b.Count - 3, headerBytes)));
                    var v = r.Next(4) switch { 0 => 0u, 1 => uint.MaxValue, 2 => (uint)r.Next(), _ => (uint)r.Next(64) };
                    for (var k = 0; k < 4 && at + k < b.Count; k++) b[at + k] = (byte)(v >> (8 * k));
                    break;
                default: if (r.Next(4) == 0) b.Clear(); break;
            }
        }
        return b.ToArray();
    }

    // ---------- the property ----------

    /// <summary>One case through the CLI: the file written, analysed, and the outcome checked.</summary>
    private static bool Case(Analyzer analyzer, string dir, string what, int seed, string ext, byte[] bytes)
    {
        var path = Path.Combine(dir, $"{what}-{seed.ToString(CultureInfo.InvariantCulture)}{ext}");
        File.WriteAllBytes(path, bytes);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code;
        try
        {
            // No --out: the result JSON goes to stdout (an --out file is written atomically, with an fsync per case).
            code = PredictCli.Analyze(analyzer, path, Options, null, stdout, stderr);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what} seed {seed}: {e.GetType().Name} escaped the CLI: {e.Message}");
        }
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string? problem = null;
        if (code == PredictCli.Ok)
        {
            var json = stdout.ToString() is { Length: > 0 } text ? JsonNode.Parse(text) : null;
            var overall = json?["overall"];
            if (json == null) problem = "exit 0 without a result";
            else if ((string?)json["file"] != path) problem = $"the result names {(string?)json["file"]}";
            else if (overall != null && overall["probabilities"]!.AsObject().Any(p => !double.IsFinite((double)p.Value!))) problem = "non-finite probabilities";
            else if (lines.Any(l => l.StartsWith("error", StringComparison.Ordinal))) problem = "exit 0 with an error line";
        }
        else if (code == PredictCli.NothingAnalysed)
        {
            if (lines.Length != 1) problem = $"{lines.Length} stderr lines";
            else if (!lines[0].StartsWith("error: ", StringComparison.Ordinal) || !lines[0].Contains(path, StringComparison.Ordinal)) problem = "the error does not name the file";
            else if (lines[0].Contains("internal error", StringComparison.Ordinal)) problem = "an internal error, not an input problem";
            else if (stdout.ToString().Length > 0) problem = "a result written for a failed file";
        }
        else problem = $"exit code {code} for one file (0 or 3 expected)";
        File.Delete(path);
        return problem == null ? true
            : throw new Xunit.Sdk.XunitException($"{what} seed {seed} ({bytes.Length} bytes as {ext}): {problem}; stderr: {stderr}");
    }

    /// <summary>Runs <paramref name="cases"/> seeds (drawn over the whole int range, so cases do not repeat) of
    /// <paramref name="make"/> (seed → extension and bytes) on two threads sharing the analyzer, as the web app's two
    /// workers do (and a case that spawns ffmpeg leaves the other thread working); returns the count that ran.</summary>
    private int Fuzz(Analyzer analyzer, string dir, string what, int cases, Func<Random, (string Ext, byte[] Bytes)> make)
    {
        var n = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var total = FuzzScale.Cases(cases);
        var shares = new[] { total - total / 2, total / 2 };
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var workers = shares.Where(share => share > 0).Select((share, w) => new Thread(() =>
        {
            try
            {
                // A case's tensors are small: one thread spares OpenMP's fork and join per op (what is checked does not depend on it).
                using var single = AverLab.Models.Engine.SingleThreaded();
                Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), s =>
                {
                    Interlocked.Increment(ref n);
                    var (ext, bytes) = make(new Random(s));
                    return Case(analyzer, dir, $"{what}{w}", s, ext, bytes);
                }).Check(Config.QuickThrowOnFailure.WithMaxTest(share));
            }
            catch (Exception e) { failures.Enqueue(e); }
        }, 16 << 20)).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        if (failures.TryPeek(out var first)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        // CPU time as well as wall time: on a shared machine the wall time says more about the neighbours.
        log.WriteLine($"{what}: {n} cases in {clock.Elapsed.TotalSeconds:F1} s ({(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU, two threads)");
        return n;
    }

    private static readonly string[] ImageExts = [".jpg", ".jpeg", ".png", ".bmp"];

    [Fact]
    public void TenThousandMutatedWavsAndImagesThroughThePredictCli()
    {
        var samples = Samples();
        var face = FaceSeed();
        var jpeg = ImageCodec.Encode(face, ImageFormat.Jpeg, 90);
        var png = ImageCodec.Encode(face, ImageFormat.Png);
        var wav = WavWriter.Encode(new AudioSignal([samples], 16000));
        var mp4 = File.ReadAllBytes(Directory.GetFiles(fx.Corpus, "01-01-*.mp4", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
        using var audio = Predictor.Load(fx.Run);
        using var faceModel = Predictor.Load(fx.FaceRun);
        using var analyzer = new Analyzer(audio, faceModel);
        var dir = Directory.CreateTempSubdirectory("averlab-fuzz-").FullName;
        try
        {
            // The seeds themselves are analysed in full: a face found and classified, the clip's window classified.
            var seedJpeg = Path.Combine(dir, "seed.jpg");
            File.WriteAllBytes(seedJpeg, jpeg);
            Assert.Single(analyzer.Analyze(seedJpeg, Options).Faces);
            var seedWav = Path.Combine(dir, "seed.wav");
            File.WriteAllBytes(seedWav, wav);
            Assert.NotNull(analyzer.Analyze(seedWav, Options).Overall);

            var counts = new Dictionary<string, int>
            {
                ["wav headers"] = Fuzz(analyzer, dir, "wavhdr", 3000, r => (".wav", r.Next(3) == 0 ? Mutate(GeneratedWav(samples, r), r, 80) : GeneratedWav(samples, r))),
                ["wav bytes"] = Fuzz(analyzer, dir, "wav", 2500, r => (".wav", Mutate(wav, r, 64))),
                ["jpeg segments"] = Fuzz(analyzer, dir, "jpgseg", 2000, r => (r.Next(8) == 0 ? ".jpeg" : ".jpg", MutateJpeg(jpeg, r))),
                ["image bytes"] = Fuzz(analyzer, dir, "img", 2000, r => r.Next(3) == 0 ? (".png", Mutate(png, r, 64)) : (".jpg", Mutate(jpeg, r, 600))),
                // One kind's bytes under another's extension (ffmpeg-backed ones, .mp3 and .mp4, rarely: each spawns it).
                ["wrong extension"] = Fuzz(analyzer, dir, "ext", 700, r =>
                {
                    var content = r.Next(5) switch { 0 => wav, 1 => jpeg, 2 => png, 3 => mp4, _ => Encoding.UTF8.GetBytes("not media at all\n") };
                    var ext = r.Next(60) == 0 ? (r.Next(2) == 0 ? ".mp3" : ".mp4") : r.Next(2) == 0 ? ".wav" : ImageExts[r.Next(ImageExts.Length)];
                    return (ext, r.Next(2) == 0 ? content : Mutate(content, r, 64));
                }),
            };
            var total = counts.Values.Sum();
            log.WriteLine($"predict fuzz: {total} cases ({string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"))})");
            Assert.Equal(new[] { 3000, 2500, 2000, 2000, 700 }.Sum(FuzzScale.Cases), total); // 10,200 at scale 1
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void MutatedMp4sThroughThePredictCli()
    {
        var mp4 = File.ReadAllBytes(Directory.GetFiles(fx.Corpus, "01-01-*.mp4", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First());
        using var audio = Predictor.Load(fx.Run);
        using var face = Predictor.Load(fx.FaceRun);
        using var analyzer = new Analyzer(audio, face);
        var dir = Directory.CreateTempSubdirectory("averlab-fuzz-").FullName;
        try
        {
            var n = Fuzz(analyzer, dir, "mp4", 15, r => (".mp4", Mutate(mp4, r, 2000)));
            log.WriteLine($"predict fuzz: {n} mp4 cases");
            Assert.Equal(FuzzScale.Cases(15), n);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>A folder of mutated files through the whole command line (models loaded by the CLI): the batch
    /// finishes, summary.csv has a row per file, each failed row one line naming its file, and the exit code says
    /// how many failed (0 none, 1 some, 3 all).</summary>
    [Fact]
    public void ABatchOfMutatedFilesFinishesAndReportsEachFailure()
    {
        var samples = Samples();
        var jpeg = ImageCodec.Encode(FaceSeed(), ImageFormat.Jpeg, 90);
        var wav = WavWriter.Encode(new AudioSignal([samples], 16000));
        var dir = Directory.CreateTempSubdirectory("averlab-fuzz-batch-").FullName;
        try
        {
            var r = new Random(16);
            var files = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                var (ext, bytes) = (i % 4) switch
                {
                    0 => (".wav", GeneratedWav(samples, r)),
                    1 => (".wav", Mutate(wav, r, 64)),
                    2 => (".jpg", MutateJpeg(jpeg, r)),
                    _ => (".jpg", Mutate(jpeg, r, 600)),
                };
                var path = Path.Combine(dir, $"f{i:00}{ext}");
                File.WriteAllBytes(path, bytes);
                files.Add(path);
            }
            File.WriteAllBytes(Path.Combine(dir, "f40.wav"), wav); // one good file, so some succeed
            files.Add(Path.Combine(dir, "f40.wav"));
            var outDir = Path.Combine(dir, "out");
            var code = PredictCli.Run([dir, "--audio-model", fx.Run, "--face-model", fx.FaceRun, "--out", outDir]);
            var rows = File.ReadAllLines(Path.Combine(outDir, "summary.csv")).Skip(1).ToList();
            Assert.Equal(files.Count, rows.Count);
            var failed = rows.Where(row => !row.EndsWith(',')).ToList();
            foreach (var (row, file) in rows.Zip(files.Order(StringComparer.Ordinal)))
            {
                Assert.StartsWith(file + ",", row, StringComparison.Ordinal);
                if (!row.EndsWith(',')) Assert.Contains(file + ":", row.Substring(file.Length), StringComparison.Ordinal);
            }
            Assert.Equal(failed.Count == 0 ? PredictCli.Ok : PredictCli.SomeFailed, code);
            Assert.Equal(files.Count - failed.Count, Directory.GetFiles(outDir, "*.json").Length);
            log.WriteLine($"batch: {files.Count} files, {failed.Count} failed, exit {code}");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
