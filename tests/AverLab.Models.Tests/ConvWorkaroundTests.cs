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
}
