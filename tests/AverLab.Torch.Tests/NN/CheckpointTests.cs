using System.Buffers.Binary;
using System.Text;
using AverLab.Torch.Serialization;

namespace AverLab.Torch.Tests.NN;

/// <summary>Module checkpoints as safetensors: round trip, validation of names, shapes and dtypes, and damaged
/// files (truncated, corrupt header, huge size claims, overlapping offsets) rejected with the file named.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class CheckpointTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "averlab-ckpt-" + Guid.NewGuid().ToString("N"));

    public CheckpointTests() => Directory.CreateDirectory(dir);
    public void Dispose() => Directory.Delete(dir, true);

    private static nn.Sequential Model() => new(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.Linear(4, 2));

    [Fact]
    public void SaveLoadRoundTripsExactly()
    {
        using var scope = NewDisposeScope();
        using var a = Model();
        a.forward(randn(5, 3));
        var path = Path.Combine(dir, "m.safetensors");
        a.save(path, new Dictionary<string, string> { ["epoch"] = "3" });
        using var b = Model();
        b.load(path);
        foreach (var (k, t) in a.state_dict()) Assert.True(t.equal(b.state_dict()[k]), k);
        Assert.Equal("3", SafeTensors.LoadWithMetadata(path).metadata["epoch"]);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
    }

    [Fact]
    public void LoadValidatesNamesShapesAndDtypes()
    {
        using var scope = NewDisposeScope();
        using var a = Model();
        var path = Path.Combine(dir, "bad.safetensors");
        var sd = a.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        sd["0.weight"] = zeros(4, 5);
        sd["2.bias"] = zeros([2], ScalarType.Float64);
        sd.Remove("1.running_var");
        sd["junk"] = zeros(1);
        SafeTensors.Save(path, sd);
        using var b = Model();
        var before = b.state_dict()["0.bias"].data<float>();
        var ex = Assert.Throws<SafeTensorsFormatException>(() => b.load(path));
        Assert.Equal(path, ex.Path);
        Assert.Contains("\"0.weight\" has shape [4, 5] but the module expects [4, 3]", ex.Message);
        Assert.Contains("\"2.bias\" has dtype F64 but the module expects F32", ex.Message);
        Assert.Contains("missing key \"1.running_var\"", ex.Message);
        Assert.Contains("unexpected key \"junk\"", ex.Message);
        // Nothing was copied: validation happens before any write.
        Assert.Equal(before, b.state_dict()["0.bias"].data<float>());
    }

    private string Write(string name, byte[] bytes)
    {
        var p = Path.Combine(dir, name);
        System.IO.File.WriteAllBytes(p, bytes);
        return p;
    }

    private static byte[] Raw(string header, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes;
    }

    [Fact]
    public void TruncatedFileIsRejected()
    {
        using var scope = NewDisposeScope();
        using var a = Model();
        var path = Path.Combine(dir, "full.safetensors");
        a.save(path);
        var bytes = System.IO.File.ReadAllBytes(path);
        var cut = Write("cut.safetensors", bytes[..(bytes.Length - 10)]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => Model().load(cut));
        Assert.Equal(cut, ex.Path);
        var tiny = Write("tiny.safetensors", bytes[..5]);
        Assert.Throws<SafeTensorsFormatException>(() => Model().load(tiny));
    }

    [Fact]
    public void CorruptHeaderIsRejected()
    {
        var p = Write("corrupt.safetensors", Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]", 8));
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadRaw(p));
        Assert.Equal(p, ex.Path);
        var unknown = Write("dtype.safetensors", Raw("{\"w\": {\"dtype\": \"Q7\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8));
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadRaw(unknown));
    }

    [Fact]
    public void HugeClaimsAreRejectedWithoutAllocating()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
        var p = Write("huge-header.safetensors", bytes);
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadRaw(p));
        var shape = Write("huge-shape.safetensors",
            Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [1000000000, 1000000000], \"data_offsets\": [0, 8]}}", 8));
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadRaw(shape));
        var offsets = Write("huge-offsets.safetensors",
            Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8000000000000]}}", 8));
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadRaw(offsets));
    }

    [Fact]
    public void OverlappingOffsetsAreRejected()
    {
        var p = Write("overlap.safetensors",
            Raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12));
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadRaw(p));
        Assert.Equal(p, ex.Path);
    }
}
