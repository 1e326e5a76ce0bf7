namespace AverLab.Torch.Tests.NN;

/// <summary>Default initialisation: torch.manual_seed(s) then constructing a layer gives PyTorch 1.13.1's weights
/// bit for bit (same generator, same draws in the same order). Fixtures: tests/golden/nn_init_*.safetensors.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class InitParityTests
{
    public static IEnumerable<object[]> Names =>
        new[] { "linear", "conv2d", "conv1d", "conv_transpose2d", "lstm", "gru", "lstmcell", "embedding", "mha", "encoder", "batchnorm2d" }
            .Select(n => new object[] { n });

    private static nn.Module Make(string name) => name switch
    {
        "linear" => new nn.Linear(5, 3),
        "conv2d" => new nn.Conv2d(3, 4, 3),
        "conv1d" => new nn.Conv1d(2, 3, 5, bias: false),
        "conv_transpose2d" => new nn.ConvTranspose2d(3, 2, 3, stride: 2),
        "lstm" => new nn.LSTM(4, 5, num_layers: 2, bidirectional: true),
        "gru" => new nn.GRU(3, 4),
        "lstmcell" => new nn.LSTMCell(3, 4),
        "embedding" => new nn.Embedding(6, 3, padding_idx: 2),
        "mha" => new nn.MultiheadAttention(8, 2),
        "encoder" => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, dim_feedforward: 16), 2),
        "batchnorm2d" => new nn.BatchNorm2d(3),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void SeededConstructionEqualsPyTorch(string name)
    {
        using var scope = NewDisposeScope();
        var (expected, meta) = Golden.Load($"nn_init_{name}.safetensors");
        manual_seed(long.Parse(meta["seed"]));
        using var module = Make(name);
        var actual = module.state_dict();
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (k, e) in expected)
            Assert.True(e.equal(actual[k]), $"{name}.{k} differs from PyTorch's default initialisation");
    }
}
