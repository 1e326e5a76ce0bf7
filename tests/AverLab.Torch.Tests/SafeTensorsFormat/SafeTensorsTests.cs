using System.Buffers.Binary;
using System.Text;
using AverLab.Torch.Serialization;

namespace AverLab.Torch.Tests.SafeTensorsFormat;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-st-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathOf(string name) => Path.Combine(dir, name);

    private static byte[] File(string header, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var buf = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(buf, (ulong)h.Length);
        h.CopyTo(buf, 8);
        return buf;
    }

    [Fact]
    public void RoundTripsEveryDtypeWithMetadata()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["w"] = randn(3, 4),
            ["d"] = randn([2], dtype: float64),
            ["h"] = randn([5], dtype: float16),
            ["bf"] = randn([5], dtype: bfloat16),
            ["i"] = arange(6).view(2, 3),
            ["b"] = tensor(new[] { true, false }),
            ["u"] = tensor(new byte[] { 1, 255 }),
            ["empty"] = zeros(0, 3),
        };
        var path = PathOf("m.safetensors");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "é" });
        var (loaded, meta) = SafeTensors.LoadWithMetadata(path);
        Assert.Equal("é", meta["note"]);
        foreach (var (k, t) in tensors)
        {
            Assert.Equal(t.dtype, loaded[k].dtype);
            Assert.True(t.equal(loaded[k]), k);
        }
        // The header is space-padded to a multiple of 8 bytes, as the reference writer does, so data is aligned.
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(System.IO.File.ReadAllBytes(path)) % 8);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void MatchesTheFileWrittenByPythonForTheGoldenFixture()
    {
        // The fixture was written by tests/golden/make_engine_golden.py; reading it is the interop check.
        var (entries, meta) = SafeTensors.ReadRaw(Golden.GoldenFile.PathOf("engine_ops.safetensors"));
        Assert.StartsWith("1.13", meta["torch"]);
        Assert.Equal(new long[] { 3 }, entries["arange_int.out.0"].Shape);
        Assert.Equal(new long[] { 2, 5, 8 }, entries["arange_int.out.0"].ToInt64());
    }

    [Theory]
    [InlineData("truncated-length", "shorter than the 8-byte header")]
    [InlineData("huge-header", "header claims")]
    [InlineData("not-json", "not valid JSON")]
    [InlineData("overlap", "overlaps")]
    [InlineData("past-end", "truncated file")]
    [InlineData("wrong-size", "needs 24")]
    [InlineData("bad-dtype", "unsupported dtype 'Q7'")]
    [InlineData("huge-shape", "too large")]
    [InlineData("gap", "gap before")]
    [InlineData("negative-dim", "bad dimension")]
    public void CorruptFilesGiveClearErrorsNamingTheFile(string kind, string expected)
    {
        var path = PathOf(kind + ".safetensors");
        byte[] bytes = kind switch
        {
            "truncated-length" => [1, 2, 3],
            "huge-header" => BitConverter.GetBytes(ulong.MaxValue / 2),
            "not-json" => File("{not json", 0),
            "overlap" => File("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12),
            "past-end" => File("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8),
            "wrong-size" => File("""{"a":{"dtype":"F64","shape":[3],"data_offsets":[0,16]}}""", 16),
            "bad-dtype" => File("""{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}}""", 1),
            "huge-shape" => File("""{"a":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904],"data_offsets":[0,4]}}""", 4),
            "gap" => File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8),
            "negative-dim" => File("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4),
            _ => throw new ArgumentException(kind),
        };
        System.IO.File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadRaw(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var path = PathOf("nope.safetensors");
        var e = Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AFailedWriteLeavesThePreviousFileIntact()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("keep.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(2) });
        var before = System.IO.File.ReadAllBytes(path);
        Assert.Throws<InvalidOperationException>(() =>
            AtomicFile.Write(path, s => { s.Write(new byte[100]); throw new InvalidOperationException("crash mid-write"); }));
        Assert.Equal(before, System.IO.File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
    }
}
