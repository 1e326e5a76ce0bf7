using System.Text.Json.Nodes;
using AverLab.FrontEnds;
using AverLab.Predict;
using static TorchSharp.torch;

namespace AverLab.Inference.Tests;

/// <summary>The device on the inference side: a run records the device it trained on (model.json "device"),
/// inference follows it or `--device`; asking for cuda where there is none is a usage error, and a cuda run on a
/// machine without CUDA runs on the CPU with a note.</summary>
[Collection("trained run")]
public sealed class PredictDeviceTests(TrainedRunFixture fx)
{
    private string Clip => Directory.GetFiles(fx.Corpus, "*.wav", SearchOption.AllDirectories).Order().First();

    [Fact]
    public void TheCardRecordsTheTrainingDeviceAndCpuEqualsTheDefault()
    {
        Assert.Equal("cpu", ModelCard.Load(Path.Combine(fx.Run, "model.json")).Device);
        var dir = Directory.CreateTempSubdirectory("averlab-device-").FullName;
        try
        {
            string Result(string name, params string[] extra)
            {
                var output = Path.Combine(dir, name);
                Assert.Equal(PredictCli.Ok, PredictCli.Run([Clip, "--model", fx.Run, "--out", output, .. extra]));
                return File.ReadAllText(output);
            }
            var byDefault = Result("default.json");
            Assert.Equal(byDefault, Result("cpu.json", "--device", "cpu"));
            Assert.Equal(byDefault, Result("auto.json", "--device", "auto")); // no CUDA here: auto is the CPU
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [NoCudaFact]
    public void CudaWhereThereIsNoneIsRefusedAndAnUnknownDeviceToo()
    {
        var stderr = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            Assert.Equal(PredictCli.Usage, PredictCli.Run([Clip, "--model", fx.Run, "--device", "cuda"]));
            Assert.Equal(PredictCli.Usage, PredictCli.Run([Clip, "--model", fx.Run, "--device", "tpu"]));
        }
        finally
        {
            Console.SetError(stderr);
        }
        var text = captured.ToString();
        Assert.Contains("--device cuda: no CUDA device is available here", text);
        Assert.Contains("tpu", text);
        Assert.Throws<ArgumentException>(() => Predictor.Load(fx.Run, "cuda"));
    }

    [NoCudaFact]
    public void ACudaRunOnAMachineWithoutCudaRunsOnTheCpuWithANote()
    {
        var copy = Directory.CreateTempSubdirectory("averlab-cuda-run-").FullName;
        try
        {
            File.Copy(Path.Combine(fx.Run, "model.json"), Path.Combine(copy, "model.json"));
            Directory.CreateDirectory(Path.Combine(copy, "checkpoints"));
            foreach (var f in Directory.GetFiles(Path.Combine(fx.Run, "checkpoints"), "*.safetensors"))
                File.Copy(f, Path.Combine(copy, "checkpoints", Path.GetFileName(f)));
            var card = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "model.json")))!.AsObject();
            card["device"] = "cuda";
            File.WriteAllText(Path.Combine(copy, "model.json"), card.ToJsonString());
            using var predictor = Predictor.Load(copy);
            Assert.Equal(TorchSharp.DeviceType.CPU, predictor.Device.type);
            Assert.Contains("trained on cuda", predictor.DeviceNote);
            using var onCpu = Predictor.Load(fx.Run);
            Assert.Null(onCpu.DeviceNote);
            Assert.Equal(onCpu.PredictClip(Clip), predictor.PredictClip(Clip));
        }
        finally
        {
            Directory.Delete(copy, true);
        }
    }
}

/// <summary>A fact about a machine without CUDA (skipped, with the reason, where TorchSharp sees a CUDA device).</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (cuda.is_available()) Skip = "this machine has a CUDA device: the case needs one without";
    }
}
