using AverLab.Training.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Training.Tests.Engine;

/// <summary>training.device is honoured through TorchSharp: cpu, auto (cuda when TorchSharp sees a device), and a
/// refusal of cuda where there is none, at the config's line.</summary>
public sealed class DeviceTests
{
    private static string Config(string device) => $"""
        name: t
        data: {"{"}corpus: ravdess, root: .{"}"}
        model: {"{"}name: feature_mlp{"}"}
        training:
          epochs: 1
          device: {device}
        """;

    [Fact]
    public void CpuAndAutoResolveToADeviceTorchSharpHas()
    {
        Assert.Equal(DeviceType.CPU, ConfigLoader.FromText(Config("cpu"), "d.yaml").Config.Training.ResolveDevice().type);
        var auto = ConfigLoader.FromText(Config("auto"), "d.yaml").Config.Training.ResolveDevice();
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, auto.type);
    }

    [Fact]
    public void CudaWithoutADeviceIsAConfigErrorAtItsLine()
    {
        if (cuda.is_available()) return; // on a CUDA machine the key is valid; the refusal is what this machine must show
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromText(Config("cuda"), "d.yaml"));
        Assert.StartsWith("d.yaml:5:3: training: device:", e.Message);
        Assert.Contains("device: 'cuda' is not available", e.Message);
    }

    [Fact]
    public void AnythingElseIsRefused()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.FromText(Config("tpu"), "d.yaml"));
        Assert.Contains("'tpu' is not a device", e.Message);
    }
}
