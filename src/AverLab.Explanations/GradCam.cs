using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Explanations;

/// <summary>Grad-CAM (Selvaraju et al. 2017): a convolutional stage's maps weighted by the spatial mean of the class
/// score's gradient, summed over channels, ReLU, upsampled (bilinear) to the input's last two dimensions and scaled to
/// [0, 1]. Any model of the zoo with convolutions (<see cref="EmotionModel.forward_with_maps"/>: audio and face
/// ResNets, the CNN+Transformer's conv branches, LRCN's and ConvLSTM's frames, both fusion encoders) gets one map per
/// stage it exposes.</summary>
public static class GradCam
{
    /// <summary>One map per convolutional stage of <paramref name="model"/> for <paramref name="classIndex"/>'s logit, for
    /// a batch of one item; empty for a model without convolutions.</summary>
    public static IReadOnlyList<ClassActivationMap> Compute(EmotionModel model, ModelInputs inputs, int classIndex)
    {
        if (inputs.BatchSize != 1) throw new ArgumentException($"Grad-CAM explains one item at a time; the batch has {inputs.BatchSize}");
        if (classIndex < 0 || classIndex >= model.NumClasses)
            throw new ArgumentOutOfRangeException(nameof(classIndex), $"class {classIndex} is outside 0..{model.NumClasses - 1}");
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var wasTraining = model.training;
        model.eval();
        try
        {
            var (logits, stages) = model.forward_with_maps(inputs);
            if (stages.Count == 0) return [];
            var grads = autograd.grad([logits[0, classIndex]], stages.Select(s => s.Maps).ToArray(), allow_unused: true);
            var result = new List<ClassActivationMap>();
            for (var i = 0; i < stages.Count; i++)
            {
                var s = stages[i];
                var input = s.Input switch
                {
                    InputKinds.Audio => inputs.Audio,
                    InputKinds.Image => inputs.Image,
                    InputKinds.Frames => inputs.Frames,
                    _ => null,
                } ?? throw new InvalidOperationException($"{model.GetType().Name}: stage {s.Name} is aligned with input {s.Input}, which the batch lacks");
                var (h, w) = (input.shape[^2], input.shape[^1]);
                var maps = s.Maps.detach().to(ScalarType.Float32).contiguous();
                var g = grads[i] is { } gi && !gi.IsInvalid ? gi.to(ScalarType.Float32) : zeros_like(maps);
                var cam = (g.mean([2L, 3L], keepdim: true) * maps).sum(1, keepdim: true).relu();
                var up = nn.functional.interpolate(cam, [h, w], mode: InterpolationMode.Bilinear, align_corners: false).flatten();
                var max = up.max().ToDouble();
                var heat = (max > 0 ? up / max : up).cpu().data<float>().ToArray();
                result.Add(new ClassActivationMap(s.Name, s.Input, (int)s.Frames, (int)h, (int)w, (int)maps.shape[^2], (int)maps.shape[^1], heat));
            }
            return result;
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>The heatmap (size x size, row-major, in [0, 1]) of <paramref name="classIndex"/> for a 1 x C x size x size image.</summary>
    public static float[] Compute(FaceResNet model, Tensor image, int classIndex)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        model.eval();
        var (logits, maps) = model.forward_with_maps(image);
        var g = autograd.grad([logits[0, classIndex]], [maps])[0]!;
        var weights = g.mean([2L, 3L], keepdim: true);
        var cam = (weights * maps).sum(1, keepdim: true).relu();
        var size = image.shape[^1];
        var up = nn.functional.interpolate(cam, [image.shape[^2], size], mode: InterpolationMode.Bilinear, align_corners: false).flatten();
        var max = up.max().item<float>();
        return (max > 0 ? up / max : up).detach().cpu().data<float>().ToArray();
    }
}
