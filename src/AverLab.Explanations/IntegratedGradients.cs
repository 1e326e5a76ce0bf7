using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Explanations;

/// <summary>Integrated gradients (Sundararajan et al. 2017) of a class probability: (x − x′) times the mean gradient
/// along the straight path from the baseline x′ to x, by the midpoint rule over <c>steps</c> points. Completeness: the
/// attributions sum to p(x) − p(x′) up to the rule's error (O(1/steps²) for smooth models), reported as
/// <see cref="IntegratedGradientsResult.CompletenessGap"/>.</summary>
public static class IntegratedGradients
{
    /// <param name="logits">The model as a function of this one input: a batch N x ... → N x classes (other inputs
    /// fixed by the caller).</param>
    /// <param name="x">One item, 1 x ... .</param>
    /// <param name="baseline">1 x ... like <paramref name="x"/>; null: zeros (silence after standardization, a black image).</param>
    /// <param name="target">The class whose probability is explained.</param>
    /// <param name="steps">Points on the path (midpoint rule).</param>
    /// <param name="batch">Path points per forward pass. 1 by default: libtorch 2.10's float32 oneDNN convolution backward
    /// can read uninitialised channel padding when a channel count is not a multiple of 16 (Models' ConvWorkaroundTests);
    /// a 4-channel test conv gave wrong input gradients with 16 points per pass and right ones with one. The zoo's
    /// CNN+Transformer gave the same attributions either way (SaliencyTests).</param>
    /// <param name="power">Spacing of the path points: α = t^power at the midpoints t of <paramref name="steps"/> equal
    /// parts of [0, 1], each weighted by dα/dt = power·t^(power−1) (the same integral, substituted). 1: equal steps in α.
    /// Larger powers put more points near the baseline, where a model whose first layers normalise their input (the
    /// transformer's LayerNorm: LN(αv) ≈ LN(v) once α²·var(v) ≫ eps) changes steeply, within α of a few 1e-3.</param>
    public static IntegratedGradientsResult Compute(Func<Tensor, Tensor> logits, Tensor x, Tensor? baseline, int target, int steps = 32, int batch = 1, int power = 1)
    {
        if (power < 1) throw new ArgumentOutOfRangeException(nameof(power), $"power must be at least 1, got {power}");
        if (x.shape[0] != 1) throw new ArgumentException($"integrated gradients explain one item (1 x ...), got [{string.Join(", ", x.shape)}]");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), $"steps must be at least 1, got {steps}");
        using var scope = NewDisposeScope();
        var input = x.detach().to(ScalarType.Float32);
        var b = baseline?.detach().to(ScalarType.Float32) ?? zeros_like(input);
        if (!b.shape.SequenceEqual(input.shape))
            throw new ArgumentException($"the baseline's shape [{string.Join(", ", b.shape)}] differs from the input's [{string.Join(", ", input.shape)}]");
        var delta = input - b;
        var gradSum = zeros_like(input);
        for (var start = 0; start < steps; start += batch)
        {
            using var stepScope = NewDisposeScope();
            var n = Math.Min(batch, steps - start);
            var t = (arange(start, start + n, dtype: ScalarType.Float64) + 0.5) / steps;
            var alphas = t.pow(power).to(ScalarType.Float32);
            var weights = (power * t.pow(power - 1)).to(ScalarType.Float32);
            var shape = new long[input.dim()];
            Array.Fill(shape, 1L);
            shape[0] = n;
            var points = (b + alphas.view(shape) * delta).detach().requires_grad_(true);
            using var grad = enable_grad();
            var p = logits(points).softmax(1)[TensorIndex.Colon, target].sum();
            var g = autograd.grad([p], [points])[0];
            gradSum.add_((g * weights.view(shape)).sum(0, keepdim: true).detach());
        }
        var attribution = (delta * gradSum / steps).contiguous();
        double px, pb;
        using (no_grad())
        {
            px = logits(input).softmax(1)[0, target].ToDouble();
            pb = logits(b).softmax(1)[0, target].ToDouble();
        }
        var values = attribution.data<float>().ToArray();
        return new IntegratedGradientsResult(values, input.shape, target, steps, values.Sum(v => (double)v), px, pb);
    }
}

/// <summary>Attributions shaped like the input (row-major), and the completeness check.</summary>
/// <param name="Sum">Σ attributions.</param>
/// <param name="Probability">p(x) of the target class; <paramref name="BaselineProbability"/>: p(x′).</param>
public sealed record IntegratedGradientsResult(float[] Attribution, long[] Shape, int Target, int Steps, double Sum, double Probability, double BaselineProbability)
{
    /// <summary>Σ attributions − (p(x) − p(x′)): zero for exact integration.</summary>
    public double CompletenessGap => Sum - (Probability - BaselineProbability);
}
