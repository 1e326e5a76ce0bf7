using TorchSharp;
using AverLab.Explanations;
using AverLab.Models;
using static TorchSharp.torch;

namespace AverLab.Inference.Tests.Explanations;

/// <summary>Grad-CAM, occlusion and integrated gradients on <see cref="RegionModel"/>, which looks only at rows 4–11,
/// columns 10–21 of a 16 x 32 input: all of each map's mass must lie there (Grad-CAM: there or in the one-cell border
/// its 3x3 conv reaches).</summary>
public sealed class SaliencyTests
{
    private const int H = 16, W = 32;

    private static (RegionModel model, Tensor x) Setup()
    {
        var model = new RegionModel(H, W, 4, 12, 10, 22);
        model.eval();
        var x = rand(1, 1, H, W, generator: new Generator(3)) + 0.1;
        return (model, x);
    }

    [Fact]
    public void GradCamMassLiesInTheRegionTheModelReads()
    {
        var (model, x) = Setup();
        using (model)
        using (x)
        {
            var maps = GradCam.Compute(model, new ModelInputs { Audio = x }, 0);
            var cam = Assert.Single(maps);
            Assert.Equal(("conv", 1, H, W), (cam.Stage, cam.Frames, cam.Height, cam.Width));
            Assert.Equal(1f, cam.Heat.Max());
            Assert.Equal(1.0, model.MassInside(cam.Heat, W, margin: 1), 6);
            Assert.True(model.MassInside(cam.Heat, W) > 0.8, $"mass inside the region itself {model.MassInside(cam.Heat, W):0.000}");
        }
    }

    [Fact]
    public void OcclusionMassLiesInTheRegionAndSupportsTheClass()
    {
        var (model, x) = Setup();
        using (model)
        using (x)
        {
            Tensor F(Tensor t) => model.call(new ModelInputs { Audio = t });
            var r = Occlusion.Compute(F, x, 0, (2, 2), (2, 2));
            Assert.Equal(8 * 16, r.Patches);
            Assert.Equal(1.0, model.MassInside(r.Map, W), 9);
            // Zeroing positive input inside the region lowers the class-0 score: every cell there has a positive drop.
            for (var row = 4; row < 12; row++)
                for (var col = 10; col < 22; col++) Assert.True(r.Map[row * W + col] > 0, $"cell ({row}, {col}) drop {r.Map[row * W + col]}");
        }
    }

    [Fact]
    public void IntegratedGradientsAreZeroOutsideTheRegionAndComplete()
    {
        var (model, x) = Setup();
        using (model)
        using (x)
        {
            Tensor F(Tensor t) => model.call(new ModelInputs { Audio = t });
            var r = IntegratedGradients.Compute(F, x, null, 0, steps: 64);
            Assert.Equal(1.0, model.MassInside(r.Attribution, W), 9);
            var delta = r.Probability - r.BaselineProbability;
            Assert.True(delta > 0.1, $"p(x) − p(0) = {delta:0.0000}: too small for the completeness check to mean anything");
            Assert.True(Math.Abs(r.CompletenessGap) < 1e-3 * delta + 1e-6, $"Σ attributions {r.Sum:0.000000} vs p(x) − p(x′) {delta:0.000000}");
        }
    }

    [Fact]
    public void IntegratedGradientsCompletenessHoldsOnAZooModel()
    {
        manual_seed(11);
        using var model = new FeatureMlp(new FeatureMlpOptions { NumClasses = 3, InputSize = 12, HiddenSizes = [16, 8], Dropout = 0 });
        model.eval();
        using var x = randn(1, 12, generator: new Generator(5)) * 2;
        Tensor F(Tensor t) => model.call(new ModelInputs { Features = t });
        var coarse = IntegratedGradients.Compute(F, x, null, 1, steps: 8);
        var fine = IntegratedGradients.Compute(F, x, null, 1, steps: 256);
        var delta = fine.Probability - fine.BaselineProbability;
        Assert.True(Math.Abs(delta) > 0.01, $"|p(x) − p(0)| = {Math.Abs(delta):0.0000}");
        // ReLU kinks on the path: the midpoint rule converges, the gap shrinks with more steps.
        Assert.True(Math.Abs(fine.CompletenessGap) < 0.02 * Math.Abs(delta), $"gap {fine.CompletenessGap:0.000000} vs Δp {delta:0.000000}");
        Assert.True(Math.Abs(fine.CompletenessGap) <= Math.Abs(coarse.CompletenessGap) + 1e-6);
    }

    /// <summary>A model that layer-normalises its input first (as the CNN+Transformer's transformer does): LN(α v) is 0
    /// at α = 0 and ≈ LN(v) once α²·var(v) ≫ eps, so p jumps within α ≈ 10·sqrt(eps)/sd(v) ≈ 0.03 of the zero
    /// baseline and is flat after it. Equal steps miss the jump (the gap is about the whole Δp until a point lands in
    /// it); α = t³ puts points there and is complete.</summary>
    [Fact]
    public void IntegratedGradientsNeedPointsNearTheBaselineWhenTheInputIsNormalisedFirst()
    {
        manual_seed(7);
        using var scope = NewDisposeScope();
        var w = randn(3, 10, generator: new Generator(2));
        var x = randn(1, 10, generator: new Generator(6));
        Tensor F(Tensor t) => nn.functional.layer_norm(t, [10], eps: 1e-5).matmul(w.t());
        var target = (int)F(x).argmax(1).ToInt64();
        var uniform = IntegratedGradients.Compute(F, x, null, target, steps: 16);
        var dense = IntegratedGradients.Compute(F, x, null, target, steps: 64, power: 3);
        var fine = IntegratedGradients.Compute(F, x, null, target, steps: 256, power: 3);
        var delta = uniform.Probability - uniform.BaselineProbability;
        Assert.True(delta > 0.2, $"Δp = {delta:0.0000}: too small to tell the rules apart");
        Assert.True(Math.Abs(uniform.CompletenessGap) > 0.3 * delta, $"equal steps: gap {uniform.CompletenessGap:0.0000} of Δp {delta:0.0000}");
        Assert.True(Math.Abs(dense.CompletenessGap) < 0.1 * delta, $"α = t³, 64 steps: gap {dense.CompletenessGap:0.0000} of Δp {delta:0.0000}");
        Assert.True(Math.Abs(fine.CompletenessGap) < 0.01 * delta, $"α = t³, 256 steps: gap {fine.CompletenessGap:0.0000} of Δp {delta:0.0000}");
        Assert.Throws<ArgumentOutOfRangeException>(() => IntegratedGradients.Compute(F, x, null, target, power: 0));
    }

    [Fact]
    public void IntegratedGradientsOfTheCnnTransformerDoNotDependOnTheBatchOfPathPoints()
    {
        manual_seed(3);
        using var model = new AudioCnnTransformer(new AudioCnnTransformerOptions { NumClasses = 4, TransformerLayers = 1, Frames = 101 });
        model.eval();
        using var x = randn(new long[] { 1, 1, 40, 101 }, generator: new Generator(4));
        Tensor F(Tensor t) => model.call(new ModelInputs { Audio = t });
        var batched = IntegratedGradients.Compute(F, x, null, 2, steps: 16, batch: 16);
        var single = IntegratedGradients.Compute(F, x, null, 2, steps: 16, batch: 1);
        var diff = batched.Attribution.Zip(single.Attribution).Max(p => Math.Abs(p.First - p.Second));
        var scale = single.Attribution.Max(Math.Abs);
        Assert.True(diff <= 1e-3 * scale + 1e-7, $"batched vs one point at a time: max difference {diff:G3}, largest attribution {scale:G3}; sums {batched.Sum:G6} vs {single.Sum:G6}, Δp {single.Probability - single.BaselineProbability:G6}");
    }

    [Fact]
    public void GradCamNeedsOneItem()
    {
        var (model, _) = Setup();
        using (model)
        using (var two = rand(2, 1, H, W))
            Assert.Contains("one item", Assert.Throws<ArgumentException>(() => GradCam.Compute(model, new ModelInputs { Audio = two }, 0)).Message);
    }
}
