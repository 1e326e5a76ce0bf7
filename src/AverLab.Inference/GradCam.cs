using AverLab.Media.Images;
using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Inference;

/// <summary>Grad-CAM (Selvaraju et al. 2017) for face models: the last convolutional stage's maps weighted by the
/// spatial mean of the class score's gradient, ReLU, upsampled to the input and scaled to [0, 1].</summary>
public static class GradCam
{
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
        return (max > 0 ? up / max : up).detach().data<float>().ToArray();
    }

    /// <summary>The face crop with the heatmap blended in red (alpha 0.5 at the hottest pixels), as an RGB image.</summary>
    public static RgbImage Overlay(byte[] gray, int size, float[] heat)
    {
        var rgb = new RgbImage(size, size);
        for (var i = 0; i < size * size; i++)
        {
            var a = 0.5f * heat[i];
            var v = gray[i];
            rgb.Pixels[3 * i] = (byte)Math.Clamp(v * (1 - a) + 255 * a, 0, 255);
            rgb.Pixels[3 * i + 1] = (byte)(v * (1 - a));
            rgb.Pixels[3 * i + 2] = (byte)(v * (1 - a));
        }
        return rgb;
    }
}
