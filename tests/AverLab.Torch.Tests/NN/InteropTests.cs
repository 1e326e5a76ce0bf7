namespace AverLab.Torch.Tests.NN;

/// <summary>State dicts cross between PyTorch and AverLab: a PyTorch export loads and reproduces PyTorch's outputs;
/// an AverLab checkpoint is written where tests/golden/check_averlab_state_dict.py verifies it in PyTorch.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class InteropTests
{
    [Fact]
    public void PyTorchExportLoadsWithIdenticalOutputs()
    {
        using var scope = NewDisposeScope();
        using var net = new InteropNet();
        net.load(Golden.PathOf("interop_pytorch_net.safetensors"));
        net.eval();
        var io = Golden.Load("interop_pytorch_io.safetensors").tensors;
        using var noGrad = no_grad();
        var y = net.forward(io["x"]);
        // Same libtorch and order of operations: bit-for-bit PyTorch's where OpenBLAS picks the kernels it picked for
        // the fixture; its kernel choice follows the CPU (and OPENBLAS_CORETYPE), so elsewhere within float rounding.
        var gap = (y - io["y"]).abs().max().item<float>();
        Assert.True(gap <= 1e-6f, $"AverLab {y} vs PyTorch {io["y"]}: max gap {gap}");
    }

    [Fact]
    public void AverLabStateDictIsWrittenForPyTorch()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var net = new InteropNet();
        // Training-mode passes give the batch norm running statistics to carry over.
        using (no_grad())
            for (var k = 0; k < 2; k++) net.forward(randn(4, 1, 8, 10));
        net.eval();
        var x = randn(2, 1, 8, 10);
        Tensor y;
        using (no_grad()) y = net.forward(x);

        var dir = Path.Combine(Path.GetTempPath(), "averlab-interop");
        Directory.CreateDirectory(dir);
        var modelPath = Path.Combine(dir, "averlab_net.safetensors");
        net.save(modelPath, new Dictionary<string, string> { ["format"] = "pt", ["writer"] = "AverLab" });
        Serialization.SafeTensors.Save(Path.Combine(dir, "averlab_io.safetensors"), new Dictionary<string, Tensor> { ["x"] = x, ["y"] = y });

        // The same file loads back into a fresh AverLab module with identical outputs.
        using var again = new InteropNet();
        again.load(modelPath).eval();
        using (no_grad()) Assert.True(again.forward(x).equal(y));
        var keys = Serialization.SafeTensors.ReadRaw(modelPath).entries.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var pytorchKeys = Serialization.SafeTensors.ReadRaw(Golden.PathOf("interop_pytorch_net.safetensors")).entries.Keys
            .OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(pytorchKeys, keys);
    }
}
