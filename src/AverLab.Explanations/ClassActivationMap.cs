using AverLab.Models;

namespace AverLab.Explanations;

/// <summary>A Grad-CAM heatmap of one convolutional stage for one item: <see cref="Frames"/> maps of
/// <see cref="Height"/> x <see cref="Width"/> (the input's last two dimensions: MFCC rows x frames, an image's rows x
/// columns), frame-major, row-major, scaled together to [0, 1] (the hottest cell of any frame is 1).</summary>
/// <param name="Stage">The stage, by its state-dict prefix (layer4, conv2Dblock1, cnn, ...).</param>
/// <param name="Input">The input the map lies over.</param>
/// <param name="MapHeight">The stage's own resolution before upsampling (how coarse the map really is).</param>
public sealed record ClassActivationMap(string Stage, InputKinds Input, int Frames, int Height, int Width, int MapHeight, int MapWidth, float[] Heat)
{
    /// <summary>The map of frame <paramref name="frame"/> (Height x Width, row-major).</summary>
    public float[] Frame(int frame) => Heat.AsSpan(frame * Height * Width, Height * Width).ToArray();
}
