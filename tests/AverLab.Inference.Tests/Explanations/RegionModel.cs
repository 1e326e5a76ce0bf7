using AverLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Inference.Tests.Explanations;

/// <summary>A conv model that looks only at one rectangle of its 1 x 1 x H x W audio input: the input outside
/// rows [R0, R1) x columns [C0, C1) is multiplied by zero before a bias-free 3x3 conv with positive weights, ReLU, a
/// global mean, and a Linear whose class-0 weights are positive and class-1 weights negative. So class 0 is supported
/// by positive input inside the rectangle and nothing outside it can matter: the known answer for saliency. 16 output
/// channels: libtorch 2.10's float32 oneDNN conv backward misreads padded channels for widths that are not a multiple
/// of 16 at batch sizes above one (see Models' ConvWorkaroundTests), which a 4-channel conv hit in integrated
/// gradients' batched path.</summary>
internal sealed class RegionModel : EmotionModel
{
    private readonly Conv2d conv;
    private readonly Linear head;
    private readonly Tensor mask;

    public RegionModel(int height, int width, int r0, int r1, int c0, int c1) : base(nameof(RegionModel), 2)
    {
        (R0, R1, C0, C1) = (r0, r1, c0, c1);
        conv = this.RegisterModule("conv", nn.Conv2d(1, 16, 3, padding: 1, bias: false));
        head = this.RegisterModule("head", nn.Linear(16, 2));
        using (no_grad())
        {
            var g = new Generator(7);
            conv.weight!.copy_(rand(conv.weight.shape, generator: g) * 0.5 + 0.1);
            head.weight!.copy_(cat([rand(1, 16, generator: g) + 0.5, -(rand(1, 16, generator: g) + 0.5)], 0));
            head.bias!.zero_();
        }
        var m = zeros(1, 1, height, width);
        m[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(r0, r1), TensorIndex.Slice(c0, c1)] = 1;
        mask = this.RegisterBuffer("mask", m);
    }

    public int R0 { get; }
    public int R1 { get; }
    public int C0 { get; }
    public int C1 { get; }

    public override InputKinds Inputs => InputKinds.Audio;

    private Tensor Maps(ModelInputs inputs) => conv.forward(inputs.Require(InputKinds.Audio, nameof(RegionModel), 4, "B x 1 x H x W") * mask).relu();

    public override Tensor forward(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        return head.forward(Maps(inputs).mean([2L, 3L])).MoveToOuterDisposeScope();
    }

    public override Tensor forward_embedding(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        return Maps(inputs).mean([2L, 3L]).MoveToOuterDisposeScope();
    }

    public override (Tensor logits, IReadOnlyList<ActivationMaps> maps) forward_with_maps(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var maps = Maps(inputs);
        var logits = head.forward(maps.mean([2L, 3L]));
        return (logits.MoveToOuterDisposeScope(), [new ActivationMaps("conv", InputKinds.Audio, maps.MoveToOuterDisposeScope(), 1)]);
    }

    /// <summary>The share of Σ|map| that lies within the rectangle grown by <paramref name="margin"/> cells.</summary>
    public double MassInside(float[] map, int width, int margin = 0)
    {
        double inside = 0, total = 0;
        for (var i = 0; i < map.Length; i++)
        {
            var (r, c) = (i / width, i % width);
            var v = Math.Abs(map[i]);
            total += v;
            if (r >= R0 - margin && r < R1 + margin && c >= C0 - margin && c < C1 + margin) inside += v;
        }
        return total == 0 ? double.NaN : inside / total;
    }
}
