using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;
using Xunit.Abstractions;

namespace AverLab.Models.Tests;

/// <summary>PyTorch-origin models against tests/golden/make_models_golden.py: the same state-dict keys and shapes, and,
/// with the shared weight recipe, the same eval-mode logits within 1e-4.</summary>
public sealed class GoldenTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => new()
    {
        "audio_cnn_transformer", "face_resnet18", "face_resnet34_landmarks", "audio_resnet", "av_fusion_lstm", "av_transformer", "feature_mlp_pca",
    };

    /// <summary>Builds the registry model named in the fixture with the options stored there (PascalCase JSON).</summary>
    private static (EmotionModel model, Dictionary<string, Tensor> tensors, Dictionary<string, string> meta) Load(string name)
    {
        var (tensors, meta) = TensorFile.LoadWithMetadata(Golden.Path($"models_{name}.safetensors"));
        var spec = ModelRegistry.Get(meta["model"]);
        var options = JsonSerializer.Deserialize(meta["options"], spec.OptionsType)!;
        return (spec.Create(options), tensors, meta);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StateDictKeysAndShapesEqualPyTorch(string name)
    {
        using var scope = NewDisposeScope();
        var (model, _, meta) = Load(name);
        using var _m = model;
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet();
        var actual = model.state_dict().Select(kv =>
            $"{(parameters.Contains(kv.Key) ? "param" : "buffer")} {kv.Key} {(kv.Value.dim() == 0 ? "scalar" : string.Join("x", kv.Value.shape))}").ToList();
        var expected = File.ReadAllLines(Golden.Path($"models_{name}.keys.txt")).Where(l => l.Length > 0).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(long.Parse(meta["parameters"]), model.ParameterCount());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EvalLogitsEqualPyTorch(string name)
    {
        using var scope = NewDisposeScope();
        var (model, t, _) = Load(name);
        using var _m = model;
        model.eval();
        var inputs = new ModelInputs
        {
            Audio = t.GetValueOrDefault("in.audio"),
            Frames = t.GetValueOrDefault("in.frames"),
            Image = t.GetValueOrDefault("in.image"),
            Landmarks = t.GetValueOrDefault("in.landmarks"),
            Features = t.GetValueOrDefault("in.features"),
            Sentiment = t.GetValueOrDefault("in.sentiment"),
        };
        var expected = t["out.logits"];
        // Sensitivity: with the model's own random initialisation the logits are far from PyTorch's.
        using (no_grad())
            Assert.True((model.forward(inputs) - expected).abs().max().item<float>() > 1e-2, $"{name}: logits match even before the recipe");
        WeightRecipe.Apply(model);
        Tensor logits;
        using (no_grad()) logits = model.forward(inputs);
        Assert.Equal(expected.shape, logits.shape);
        var diff = (logits - expected).abs().max().item<float>();
        output.WriteLine($"{name}: max |AverLab − PyTorch| = {diff:G3}, max |logit| = {expected.abs().max().item<float>():G4}");
        Assert.True(diff < 1e-4, $"{name}: logits differ from PyTorch's by {diff} (tolerance 1e-4)");
    }
}
