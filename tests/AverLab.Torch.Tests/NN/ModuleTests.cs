namespace AverLab.Torch.Tests.NN;

/// <summary>Module mechanics: registration and names, modes, freezing, device/dtype moves keeping Parameter
/// identity, state dicts and their errors, the summary, and deterministic disposal.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class ModuleTests
{
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly nn.Sequential features;
        public readonly nn.Linear head;

        public Net()
        {
            features = RegisterModule("features", new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.ReLU(), new nn.Dropout(0.2)));
            head = RegisterModule("head", new nn.Linear(8, 3));
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return head.forward(features.forward(x).flatten(1)).MoveToOuterDisposeScope();
        }
    }

    [Fact]
    public void NamesFollowPyTorch()
    {
        using var net = new Net();
        Assert.Equal(new[] { "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "head.weight", "head.bias" },
            net.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked" },
            net.named_buffers().Select(b => b.name));
        Assert.Equal(new[] { "", "features", "features.0", "features.1", "features.2", "features.3", "head" }, net.named_modules().Select(m => m.name));
        Assert.Equal(new[] { "features", "head" }, net.named_children().Select(c => c.name));
        Assert.Equal(9, net.state_dict().Count);
        Assert.Same(net.head.weight, net.get_parameter("head.weight"));
    }

    [Fact]
    public void TrainEvalPropagates()
    {
        using var net = new Net();
        Assert.All(net.modules(), m => Assert.True(m.training));
        net.eval();
        Assert.All(net.modules(), m => Assert.False(m.training));
        net.train();
        Assert.All(net.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void FreezeStopsGradients()
    {
        using var scope = NewDisposeScope();
        using var net = new Net();
        net.features.freeze();
        net.forward(randn(2, 1, 4, 4)).sum().backward();
        Assert.All(net.features.parameters(), p => Assert.Null(p.grad));
        Assert.NotNull(net.head.weight.grad);
        net.unfreeze();
        Assert.All(net.parameters(), p => Assert.True(p.requires_grad));
        Assert.Contains("Trainable params: 51", net.summary());
    }

    [Fact]
    public void ToDtypeKeepsParameterObjects()
    {
        using var scope = NewDisposeScope();
        using var net = new Net();
        var before = net.parameters().ToList();
        var values = before.Select(p => p.data<float>()).ToList();
        net.forward(randn(2, 1, 4, 4)).sum().backward();
        net.to(ScalarType.Float64);
        var after = net.parameters().ToList();
        for (var k = 0; k < before.Count; k++)
        {
            Assert.Same(before[k], after[k]);
            Assert.Equal(ScalarType.Float64, after[k].dtype);
            Assert.True(after[k].requires_grad);
            Assert.True(after[k].is_leaf);
            Assert.Equal(values[k].Select(v => (double)v), after[k].data<double>());
            Assert.Equal(ScalarType.Float64, after[k].grad!.dtype);
        }
        // Integer buffers keep their dtype, as in PyTorch.
        Assert.Equal(ScalarType.Int64, net.state_dict()["features.1.num_batches_tracked"].dtype);
        Assert.Equal(ScalarType.Float64, net.state_dict()["features.1.running_mean"].dtype);
        // The moved module still trains: gradients reach the very same objects.
        net.zero_grad(set_to_none: true);
        net.forward(randn([2, 1, 4, 4], dtype: ScalarType.Float64)).sum().backward();
        Assert.All(before, p => Assert.NotNull(p.grad));
        net.to(CPU);
        net.@float();
        Assert.Equal(ScalarType.Float32, before[0].dtype);
    }

    [Fact]
    public void LoadStateDictListsEveryProblem()
    {
        using var scope = NewDisposeScope();
        using var net = new Net();
        var sd = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        sd.Remove("head.bias");
        sd["head.weight"] = zeros(3, 9);
        sd["extra.weight"] = zeros(1);
        var ex = Assert.Throws<StateDictException>(() => net.load_state_dict(sd));
        Assert.Equal(new[] { "head.bias" }, ex.MissingKeys);
        Assert.Equal(new[] { "extra.weight" }, ex.UnexpectedKeys);
        Assert.Single(ex.SizeMismatches);
        Assert.Contains("size mismatch for head.weight", ex.Message);
        Assert.Contains("Missing key(s) in state_dict: \"head.bias\"", ex.Message);

        // strict: false tolerates missing/unexpected keys but never a wrong shape.
        sd["head.weight"] = ones(3, 8);
        var (missing, unexpected) = net.load_state_dict(sd, strict: false);
        Assert.Equal(new[] { "head.bias" }, missing);
        Assert.Equal(new[] { "extra.weight" }, unexpected);
        Assert.Equal(24f, net.head.weight.sum().item<float>());
    }

    [Fact]
    public void SummaryLooksLikePrintModel()
    {
        using var net = new Net();
        var expected = string.Join("\n",
            "Net(",
            "  (features): Sequential(",
            "    (0): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1))",
            "    (1): BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
            "    (2): ReLU()",
            "    (3): Dropout(p=0.2, inplace=False)",
            "  )",
            "  (head): Linear(in_features=8, out_features=3, bias=True)",
            ")");
        Assert.Equal(expected, net.ToString());
        using var lin = new nn.Linear(8, 3);
        Assert.EndsWith("Total params: 27\nTrainable params: 27\nNon-trainable params: 0", lin.summary());
        net.head.freeze();
        Assert.Contains("Total params: 51\nTrainable params: 24\nNon-trainable params: 27", net.summary());
    }

    [Fact]
    public void ParametersOutliveDisposeScopesAndDisposeWithTheModule()
    {
        var baseline = Tensor.LiveCount;
        nn.Linear lin;
        using (var scope = NewDisposeScope()) lin = new nn.Linear(4, 2);
        Assert.False(lin.weight.IsDisposed);
        using (var scope = NewDisposeScope())
        {
            var y = lin.forward(randn(3, 4));
            y.sum().backward();
        }
        lin.zero_grad(set_to_none: true);
        Assert.Equal(baseline + 2, Tensor.LiveCount);
        lin.Dispose();
        Assert.True(lin.weight.IsDisposed);
        Assert.Equal(baseline, Tensor.LiveCount);
    }

    [Fact]
    public void TrainingStepsLeakNothing()
    {
        using var net = new nn.Sequential(new nn.Conv2d(1, 2, 3, padding: 1), new nn.BatchNorm2d(2), new nn.ReLU(), new nn.MaxPool2d(2),
            new nn.Flatten(), new nn.Linear(8, 3));
        using var lstm = new nn.LSTM(3, 4, num_layers: 2);
        using var enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, dim_feedforward: 8), 1);
        long? after1 = null;
        for (var step = 0; step < 3; step++)
        {
            using (var scope = NewDisposeScope())
            {
                var logits = net.forward(randn(2, 1, 4, 4));
                var loss = nn.functional.cross_entropy(logits, tensor(new long[] { 0, 2 }));
                var (o, _, _) = lstm.forward(randn(5, 2, 3));
                loss = loss + o.sum() + enc.forward(o).mean();
                loss.backward();
            }
            net.zero_grad(set_to_none: true);
            lstm.zero_grad(set_to_none: true);
            enc.zero_grad(set_to_none: true);
            after1 ??= Tensor.LiveCount;
            Assert.Equal(after1, Tensor.LiveCount);
        }
    }

    [Fact]
    public void ContainersRegisterInOrder()
    {
        using var list = new nn.ModuleList(new nn.Linear(2, 2), new nn.ReLU());
        Assert.Equal(new[] { "0.weight", "0.bias" }, list.state_dict().Keys);
        using var dict = new nn.ModuleDict<nn.Module>(("enc", new nn.Linear(2, 3)), ("dec", new nn.Linear(3, 2)));
        Assert.Equal(new[] { "enc.weight", "enc.bias", "dec.weight", "dec.bias" }, dict.state_dict().Keys);
        Assert.IsType<nn.Linear>(dict["dec"]);
        Assert.Throws<ArgumentException>(() => list.register_module("a.b", new nn.ReLU()));
    }

    [Fact]
    public void BadShapesGiveClearErrors()
    {
        using var scope = NewDisposeScope();
        using var bn = new nn.BatchNorm2d(3);
        var ex = Assert.ThrowsAny<Exception>(() => bn.forward(randn(2, 3)));
        Assert.Contains("expected 4D input", ex.Message);
        using var lin = new nn.Linear(4, 2);
        var ex2 = Assert.ThrowsAny<TorchException>(() => lin.forward(randn(3, 5)));
        Assert.Contains("shapes cannot be multiplied", ex2.Message);
    }
}
