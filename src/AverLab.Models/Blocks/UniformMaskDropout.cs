using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>PyTorch's dropout — in training <c>x · mask / (1 − p)</c> with mask ~ Bernoulli(1 − p), in eval (or p = 0)
/// the input unchanged, p = 1 zeros — with the mask drawn as <c>uniform[0, 1) &lt; 1 − p</c>.
/// <para>Why not <c>nn.Dropout</c>: libtorch's CPU <c>bernoulli_</c> draws element by element through its generic
/// distribution, about three times slower than a uniform draw, a comparison and a scale (tensors up to
/// <see cref="UniformMaxElements"/>; larger ones keep bernoulli_), and on a small model that is a large part of the
/// step (bench/RESULTS.md, "Dropout"). Same distribution, scaling (<c>noise.div_(1 − p)</c>, then <c>input * noise</c>, as
/// ATen's <c>_dropout_impl</c>) and gradient; the random stream is another than nn.Dropout's, deterministic per
/// seed as before. The mask drawn by <see cref="Mask"/> also serves recurrent dropout (ConvLstm2d).</para></summary>
public sealed class UniformMaskDropout : nn.Module<Tensor, Tensor>
{
    public UniformMaskDropout(double p) : base("Dropout")
    {
        if (p < 0 || p > 1 || double.IsNaN(p)) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        P = p;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    public override Tensor forward(Tensor input)
    {
        if (!training || P == 0 || input.numel() == 0) return input.alias();
        if (P == 1) return input.mul(0.0);
        using var noise = Mask(input, P);
        return input.mul(noise);
    }

    /// <summary>Bernoulli(1 − p) / (1 − p) noise shaped (and laid out) like <paramref name="like"/>: a uniform draw
    /// compared in place, then scaled. p must be below 1.</summary>
    public static Tensor Mask(Tensor like, double p)
    {
        using var scope = NewDisposeScope();
        if (like.numel() > UniformMaxElements) return empty_like(like).bernoulli_(1 - p).div_(1 - p).MoveToOuterDisposeScope();
        // The uniform draw on one thread: libtorch's parallel uniform_ is slower (bench/RESULTS.md, "Dropout").
        Tensor u;
        using (Engine.SingleThreaded()) u = rand_like(like);
        return u.lt_(1 - p).div_(1 - p).MoveToOuterDisposeScope();
    }

    /// <summary>Tensors up to this size draw their mask uniformly; above it the extra buffers cost more than the draw
    /// saves, so bernoulli_ (bench/RESULTS.md, "Dropout").</summary>
    public const long UniformMaxElements = 1 << 20;

    public override string ToString() => $"Dropout(p={P})";
}
