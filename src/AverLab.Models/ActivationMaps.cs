using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>The activations of one convolutional stage, as Grad-CAM reads them: <see cref="Maps"/> is
/// (B·<see cref="Frames"/>) x C x h x w, still in the autograd graph of the logits it came with, and spatially aligned
/// with the last two dimensions of the input <see cref="Input"/> (MFCC rows x frames, an image's rows x columns, each
/// video frame's rows x columns).</summary>
/// <param name="Name">The stage, by its state-dict prefix (layer4, conv2Dblock1, cnn, face_encoder.layer4, ...).</param>
/// <param name="Input">The input the maps are aligned with (one kind).</param>
/// <param name="Maps">(B·Frames) x C x h x w activations; the tensor belongs to the caller's dispose scope.</param>
/// <param name="Frames">Maps per item: 1, or the frame count of a frame sequence (frame-major within each item).</param>
public sealed record ActivationMaps(string Name, InputKinds Input, Tensor Maps, long Frames);
