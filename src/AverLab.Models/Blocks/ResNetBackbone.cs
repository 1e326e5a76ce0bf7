using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>torchvision's ResNet BasicBlock (https://github.com/pytorch/vision/blob/v0.14.1/torchvision/models/resnet.py):
/// conv3x3 → BN → ReLU → conv3x3 → BN, plus the identity or a 1x1 conv + BN downsample, then ReLU. Its stride-1 3x3
/// convolutions go through <see cref="Conv.conv3x3"/> (a matrix product on the last stage's tiny maps).</summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? downsample;
    private readonly Conv2d? downsampleConv;
    private readonly BatchNorm2d? downsampleBn;
    private readonly long stride;

    public BasicBlock(long inplanes, long planes, long stride) : base(nameof(BasicBlock))
    {
        this.stride = stride;
        conv1 = this.RegisterModule("conv1", nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false));
        bn1 = this.RegisterModule("bn1", nn.BatchNorm2d(planes));
        this.RegisterModule("relu", nn.ReLU());
        conv2 = this.RegisterModule("conv2", nn.Conv2d(planes, planes, 3, padding: 1, bias: false));
        bn2 = this.RegisterModule("bn2", nn.BatchNorm2d(planes));
        if (stride != 1 || inplanes != planes)
        {
            downsampleConv = nn.Conv2d(inplanes, planes, 1, stride: stride, bias: false);
            downsampleBn = nn.BatchNorm2d(planes);
            downsample = this.RegisterModule("downsample", nn.Sequential(downsampleConv, downsampleBn));
        }
    }

    /// <summary>Every component is registered explicitly under torchvision's name (no reflection over the fields).</summary>
    protected override void RegisterComponents() { }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = bn1.forward(stride == 1 ? Conv.conv3x3(conv1, x) : conv1.forward(x)).relu_();
        y = bn2.forward(Conv.conv3x3(conv2, y));
        var identity = downsample is null ? x : Downsample(x);
        return y.add_(identity).relu_().MoveToOuterDisposeScope();
    }

    /// <summary>downsample (1x1 conv with the block's stride, then BN). On a channels-last input the 1x1 convolution
    /// is computed as the matrix product it is (on the stride-subsampled NHWC view), not by libtorch's convolution:
    /// libtorch 2.10's CPU channels-last 1x1 convolution returns wrong values for wide layers (256 → 512 channels,
    /// layer4's downsample: max |error| ~1.5 on values ~4, stride 1 or 2, any batch; 16-128 input channels and every
    /// 3x3 convolution measured exact), which broke channels-last parity with the NCHW model and PyTorch. The weight
    /// and keys are the Conv2d's (downsample.0.weight), so state dicts do not change; NCHW inputs use the Conv2d.</summary>
    private Tensor Downsample(Tensor x)
    {
        if (!MemoryLayout.IsChannelsLast(x)) return downsample!.forward(x);
        var (conv, bn) = (downsampleConv!, downsampleBn!);
        var sub = stride == 1 ? x : x[.., .., TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)];
        var y = sub.permute(0, 2, 3, 1).matmul(conv.weight.flatten(1).t()).permute(0, 3, 1, 2);   // N x O x h x w, NHWC strides
        return bn.forward(y);
    }
}

/// <summary>torchvision's ResNet18/34 without its classifier: conv1 7x7/2 → BN → ReLU → maxpool 3/2 → layer1..4 →
/// global average pool → 512 features. Children carry torchvision's names (conv1, bn1, layer1.0.conv1, ...), so a
/// model that registers them at its top level has torchvision's state-dict keys.</summary>
/// <remarks>Not TorchVision's torchvision.models.resnet18/34 (TorchSharp's TorchVision package): the keys would match,
/// but its forward runs the fc head and exposes no last-stage maps (Grad-CAM needs <see cref="forward_maps"/>), it
/// cannot lay the input out channels-last inside forward, and its blocks would call libtorch's channels-last 1x1
/// convolution, which is wrong on libtorch 2.10's CPU for the 256 → 512 downsample (see BasicBlock.Downsample): channels-
/// last parity with PyTorch would not hold.</remarks>
public sealed class ResNetBackbone : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential[] layers;

    /// <summary>Width of the output features.</summary>
    public const long FeatureSize = 512;

    /// <param name="depth">18 or 34 (BasicBlock counts 2-2-2-2 or 3-4-6-3).</param>
    /// <param name="inChannels">3 for RGB (grayscale is replicated to 3 channels by the caller).</param>
    /// <param name="channelsLast">Lay the convolution weights and the input out channels-last (NHWC): libtorch's
    /// oneDNN convolutions then skip reordering every activation to and from their blocked layout. Same values
    /// (within convolution rounding) and state dict; faster on the 64 x 64 face crops.</param>
    public ResNetBackbone(int depth, long inChannels = 3, bool channelsLast = false) : base(nameof(ResNetBackbone))
    {
        var blocks = depth switch
        {
            18 => new[] { 2, 2, 2, 2 },
            34 => new[] { 3, 4, 6, 3 },
            _ => throw new ArgumentException($"ResNet depth must be 18 or 34 (BasicBlock variants), got {depth}"),
        };
        conv1 = this.RegisterModule("conv1", nn.Conv2d(inChannels, 64, 7, stride: 2, padding: 3, bias: false));
        bn1 = this.RegisterModule("bn1", nn.BatchNorm2d(64));
        this.RegisterModule("relu", nn.ReLU());
        maxpool = this.RegisterModule("maxpool", nn.MaxPool2d(3, stride: 2, padding: 1));
        layers = new Sequential[4];
        long inplanes = 64;
        for (var i = 0; i < 4; i++)
        {
            var planes = 64L << i;
            var layer = nn.Sequential();
            for (var b = 0; b < blocks[i]; b++)
            {
                layer.append(new BasicBlock(inplanes, planes, b == 0 && i > 0 ? 2 : 1));
                inplanes = planes;
            }
            layers[i] = this.RegisterModule($"layer{i + 1}", layer);
        }
        this.RegisterModule("avgpool", nn.AdaptiveAvgPool2d([1, 1]));
        ResetParameters();
        ChannelsLast = channelsLast;
        if (channelsLast) this.ToChannelsLast();  // after initialisation: the same random draws as PyTorch's NCHW init
    }

    /// <summary>Every component is registered explicitly under torchvision's name (no reflection over the fields).</summary>
    protected override void RegisterComponents() { }

    /// <summary>Whether this backbone computes channels-last (see the constructor).</summary>
    public bool ChannelsLast { get; }

    /// <summary>torchvision's initialisation: kaiming_normal_(fan_out, relu) convolutions, BN weight 1 and bias 0.</summary>
    private void ResetParameters()
    {
        using var noGrad = no_grad();
        foreach (var m in modules())
            if (m is Conv2d c) nn.init.kaiming_normal_(c.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            else if (m is BatchNorm2d bn)
            {
                nn.init.ones_(bn.weight!);
                nn.init.zeros_(bn.bias!);
            }
    }

    /// <summary>Loads torchvision resnet18/34 weights (a safetensors state dict; its fc head is ignored).</summary>
    public void load_pretrained(string path) => CheckpointLoading.LoadInto(this, path, "", skipPrefix: "fc.");

    /// <summary>B x C x H x W → B x 512.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return forward_maps(x).mean([2L, 3L]).MoveToOuterDisposeScope();
    }

    /// <summary>The last stage's feature maps, B x 512 x h x w, before global pooling (Grad-CAM reads these). A
    /// one-channel input (grayscale face, MFCC image) is replicated to the three channels the stem expects.</summary>
    public Tensor forward_maps(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (x.shape[1] == 1) x = x.expand(-1, 3, -1, -1);
        if (ChannelsLast) x = x.ToChannelsLast();
        var y = maxpool.forward(bn1.forward(conv1.forward(x)).relu_());
        foreach (var layer in layers) y = layer.forward(y);
        return y.MoveToOuterDisposeScope();
    }
}
