using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AverLab.Models.Tests;

/// <summary><see cref="Conv.conv2d"/> against the same convolution in float64 (which libtorch does not send to oneDNN),
/// after the allocator has been filled with NaN: libtorch 2.10's float32 oneDNN backward reads uninitialised channel
/// padding when out_channels is not a multiple of 16 (the ConvLSTM's 56 gate channels), which made ConvLstm training
/// go NaN depending on what the process had freed before.</summary>
public sealed class ConvWorkaroundTests
{
    private static void PoisonAllocator()
    {
        for (var i = 0; i < 24; i++)
            using (full(new long[] { 1L << (10 + i % 12) }, float.NaN)) { }
    }

    [Theory]
    [InlineData(16, 14, 56, 5, 1)]   // ConvLstm layer 3, recurrent conv
    [InlineData(128, 8, 56, 7, 0)]   // ConvLstm layer 3, input conv
    [InlineData(16, 3, 12, 5, 1)]
    [InlineData(16, 16, 64, 5, 1)]   // a multiple of 16: the plain path
    [InlineData(6, 24, 40, 8, 1)]    // LRCN with filters [.., 24, 40, ..]: input channels above 16, not a multiple
    [InlineData(6, 40, 40, 4, 1)]
    public void GradientsMatchFloat64AfterTheAllocatorHeldNaN(long batch, long channels, long filters, long size, long pad)
    {
        manual_seed(5);
        using var scope = NewDisposeScope();
        var x = randn(batch, channels, size, size);
        var w = randn(filters, channels, 3, 3) * 0.2;
        var b = randn(filters);
        (Tensor y, Tensor gx, Tensor gw) Run(ScalarType type, bool poison)
        {
            var xx = x.to(type).detach().clone().requires_grad_(); // to(Float32) of a float32 tensor is the tensor itself
            var ww = w.to(type).detach().clone().requires_grad_();
            var bb = b.to(type);
            if (poison) PoisonAllocator();
            var y = type == ScalarType.Float64 ? F.conv2d(xx, ww, bb, padding: [pad, pad]) : Conv.conv2d(xx, ww, bb, padding: [pad, pad]);
            if (poison) PoisonAllocator();
            (y * y).sum().backward();
            return (y.detach().to(ScalarType.Float64), xx.grad!.to(ScalarType.Float64), ww.grad!.to(ScalarType.Float64));
        }
        var reference = Run(ScalarType.Float64, false);
        for (var k = 0; k < 3; k++)
        {
            var got = Run(ScalarType.Float32, true);
            Assert.True(got.gx.isfinite().all().item<bool>(), "grad_input has non-finite values");
            Assert.True(got.y.allclose(reference.y, rtol: 1e-4, atol: 1e-4), "output differs from float64");
            Assert.True(got.gx.allclose(reference.gx, rtol: 1e-3, atol: 1e-3), $"grad_input differs from float64: max {(got.gx - reference.gx).abs().max().item<double>()}");
            Assert.True(got.gw.allclose(reference.gw, rtol: 1e-3, atol: 1e-2), $"grad_weight differs from float64: max {(got.gw - reference.gw).abs().max().item<double>()}");
        }
    }

    /// <summary>LRCN with user-chosen filter counts that are not multiples of 16 (model.params filters): its conv stages
    /// take the padded path, so input gradients after a NaN-poisoned allocator stay finite and equal a clean run's
    /// (the defect turned them NaN). The model cannot be cast to float64 (TorchSharp's Module.to fails on the LSTM).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LrcnWithOddFilterCountsKeepsGradientsFinite(bool channelsLast)
    {
        using var scope = NewDisposeScope();
        Lrcn Build()
        {
            manual_seed(3);
            return new Lrcn(new LrcnOptions { Filters = [12, 24, 40, 40], FrameSize = 32, Pools = [2, 2, 2, 2], ChannelsLast = channelsLast });
        }
        using var m32 = Build();
        m32.eval();
        manual_seed(4);
        var frames = randn(new long[] { 2, 3, 3, 32, 32 });
        Tensor InputGrad(Lrcn model, ScalarType type, bool poison)
        {
            var x = frames.to(type).detach().clone().requires_grad_();
            if (poison) PoisonAllocator();
            var logits = model.forward(new ModelInputs { Frames = x });
            if (poison) PoisonAllocator();
            (logits * logits).sum().backward();
            return x.grad!.to(ScalarType.Float64);
        }
        var reference = InputGrad(m32, ScalarType.Float32, false);
        Assert.True(reference.isfinite().all().item<bool>());
        for (var k = 0; k < 3; k++)
        {
            var g = InputGrad(m32, ScalarType.Float32, true);
            Assert.True(g.isfinite().all().item<bool>(), "LRCN input gradient has non-finite values");
            var scale = reference.abs().max().ToDouble();
            var diff = (g - reference).abs().max().ToDouble();
            Assert.True(diff <= 1e-5 * scale, $"LRCN input gradient differs from the clean run's: max {diff:E2} (scale {scale:E2})");
        }
    }

    /// <summary><see cref="Conv.conv3x3"/>'s matrix-product path on the last stage's small maps: output, input gradient
    /// and weight gradient equal float64's convolution (reference) as closely as libtorch's own float32 convolution
    /// does, and the path is taken where MKL runs an optimized branch (and not for 4 x 4 maps or NCHW inputs).</summary>
    [Theory]
    [InlineData(8, 64, 2, 2)]    // face ResNet layer4 (64 x 64 input)
    [InlineData(4, 32, 4, 1)]    // audio ResNet layer4 (126 x 13 MFCC image)
    [InlineData(4, 16, 2, 1)]
    [InlineData(4, 24, 1, 3)]
    public void SmallMapConvolutionAsMatrixProductMatchesFloat64(long batch, long channels, long h, long w)
    {
        manual_seed(9);
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(channels, channels + 8, 3, padding: 1, bias: false).ToChannelsLast();
        var x = randn(batch, channels, h, w).ToChannelsLast().requires_grad_(true);
        var g = randn(batch, channels + 8, h, w);
        Assert.Equal(Engine.MklBranch > 0, Conv.UsesMatrixProduct(conv, x));
        Assert.False(Conv.UsesMatrixProduct(conv, randn(batch, channels, 4, 4).ToChannelsLast()));
        Assert.False(Conv.UsesMatrixProduct(conv, randn(batch, channels, 2, 2))); // NCHW strides
        var y = Conv.conv3x3(conv, x);
        Assert.True(MemoryLayout.IsChannelsLast(y));
        var grads = autograd.grad([y], [x, conv.weight!], [g]);
        var x64 = x.detach().@double().requires_grad_(true);
        var w64 = conv.weight!.detach().@double().requires_grad_(true);
        var y64 = F.conv2d(x64, w64, padding: [1, 1]);
        var grads64 = autograd.grad([y64], [x64, w64], [g.@double()]);
        double Err(Tensor a, Tensor b) => (a.@double() - b).abs().max().item<double>() / (b.abs().max().item<double>() + 1e-12);
        Assert.True(Err(y, y64) < 1e-6, $"output rel error {Err(y, y64)}");
        Assert.True(Err(grads[0], grads64[0]) < 1e-6, $"input gradient rel error {Err(grads[0], grads64[0])}");
        Assert.True(Err(grads[1], grads64[1]) < 1e-6, $"weight gradient rel error {Err(grads[1], grads64[1])}");
    }
}
