using AverLab.IO;
using AverLab.Models;
using AverLab.Training.Loop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Training.Tests.Engine;

/// <summary>last.safetensors restores the optimizer exactly (channels-last state included, which TorchSharp's own
/// binary optimizer writer cannot write), and a checkpoint of the earlier in-house engine is refused with a message
/// that says what still works.</summary>
[Collection("trainer")]
public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Sequential Net()
    {
        manual_seed(3);
        return nn.Sequential(nn.Conv2d(2, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3)).ToChannelsLast();
    }

    private static void Steps(Sequential net, OptimizerHelper opt, int n, int seed)
    {
        manual_seed(seed);
        for (var i = 0; i < n; i++)
        {
            using var scope = NewDisposeScope();
            var x = randn(5, 2, 6, 6).ToChannelsLast();
            var loss = nn.functional.cross_entropy(net.call(x), tensor(new long[] { 0, 1, 2, 0, 1 }));
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    [InlineData("rmsprop")]
    [InlineData("adagrad")]
    public void OptimizerStateRoundTripsAndTrainingContinuesIdentically(string kind)
    {
        OptimizerHelper Make(Sequential net) => kind switch
        {
            "adam" => optim.AdamW(net.parameters(), 0.01, weight_decay: 0.01),
            "sgd" => optim.SGD(net.parameters(), 0.05, momentum: 0.9, nesterov: true),
            "rmsprop" => optim.RMSProp(net.parameters(), 0.01, momentum: 0.5),
            _ => optim.Adagrad(net.parameters(), 0.05),
        };
        // Uninterrupted: 3 steps, then 2 more.
        using var a = Net();
        using var optA = Make(a);
        Steps(a, optA, 3, 1);
        Assert.True(MemoryLayout.IsChannelsLast(a.parameters().First()), "the conv weight stays channels-last through training");
        var path = Path.Combine(dir, $"{kind}.safetensors");
        TrainingCheckpoint.Save(path, a.state_dict(), optA);
        Steps(a, optA, 2, 2);

        // Resumed: a fresh model and optimizer, the checkpoint, the same 2 steps.
        using var b = Net();
        using var optB = Make(b);
        var (weights, _, _) = TrainingCheckpoint.LoadAll(path, optB);
        StateDicts.LoadStrict(b, weights);
        Steps(b, optB, 2, 2);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.Equals(pb), $"{kind}: {name} differs after resume (max |diff| {(pa - pb).abs().max().item<float>()})");
    }

    [Fact]
    public void AnOptimizerOfAnotherKindIsRefusedByName()
    {
        using var a = Net();
        using var sgd = optim.SGD(a.parameters(), 0.1);
        var path = Path.Combine(dir, "sgd.safetensors");
        TrainingCheckpoint.Save(path, a.state_dict(), sgd);
        using var adam = optim.Adam(a.parameters());
        var e = Assert.Throws<FormatException>(() => TrainingCheckpoint.LoadAll(path, adam));
        Assert.Contains("holds SGD state but the config's optimizer is Adam", e.Message);
    }

    [Fact]
    public void AnInHouseEngineCheckpointSaysItsWeightsLoadButCannotResume()
    {
        using var a = Net();
        var path = Path.Combine(dir, "old.safetensors");
        // The in-house engine's layout: model.* tensors, optimizer.state.* tensors, optimizer.format metadata.
        var entries = a.state_dict().ToDictionary(kv => "model." + kv.Key, kv => TensorFile.ToEntry(kv.Value));
        SafeTensors.WriteRaw(path, entries, new Dictionary<string, string> { ["optimizer.format"] = "averlab.optim.v1", ["optimizer.optimizer"] = "SGD" });
        using var opt = optim.SGD(a.parameters(), 0.1);
        var e = Assert.Throws<FormatException>(() => TrainingCheckpoint.LoadAll(path, opt));
        Assert.Contains("earlier in-house engine", e.Message);
        using var b = Net();
        ModelFile.LoadInto(b, path); // the weights themselves still load
        Assert.True(b.parameters().First().Equals(a.parameters().First()));
    }
}
