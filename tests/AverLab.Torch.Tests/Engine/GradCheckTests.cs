namespace AverLab.Torch.Tests.Engine;

/// <summary>Analytical gradients (autograd) against central finite differences in float64, as
/// torch.autograd.gradcheck does: |analytic - numeric| ≤ atol + rtol·|numeric| with eps 1e-6.</summary>
public class GradCheckTests
{
    private static void GradCheck(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        const double eps = 1e-6, atol = 1e-5, rtol = 1e-3;
        foreach (var x in inputs) x.requires_grad = true;
        var analytic = autograd.grad([f(inputs).sum()], inputs);
        using (no_grad())
        {
            for (var k = 0; k < inputs.Length; k++)
            {
                var x = inputs[k];
                var flat = x.view(-1);
                var numeric = new double[flat.shape[0]];
                for (var i = 0; i < numeric.Length; i++)
                {
                    var orig = flat[i].item<double>();
                    flat[i].fill_(orig + eps);
                    var plus = f(inputs).sum().item<double>();
                    flat[i].fill_(orig - eps);
                    var minus = f(inputs).sum().item<double>();
                    flat[i].fill_(orig);
                    numeric[i] = (plus - minus) / (2 * eps);
                }
                var got = analytic[k]!.reshape(-1).data<double>();
                for (var i = 0; i < numeric.Length; i++)
                    Assert.True(Math.Abs(got[i] - numeric[i]) <= atol + rtol * Math.Abs(numeric[i]),
                        $"input {k} element {i}: autograd {got[i]:R}, finite difference {numeric[i]:R}");
            }
        }
    }

    private static Tensor R(params long[] shape) => randn(shape, dtype: float64);
    private static Tensor Pos(params long[] shape) => rand(shape, dtype: float64) + 0.5;

    public GradCheckTests() => manual_seed(42);

    [Fact] public void MatmulChain() => GradCheck(x => x[0].matmul(x[1]).tanh().matmul(x[2]), R(3, 4), R(4, 5), R(5, 2));
    [Fact] public void BroadcastArithmetic() => GradCheck(x => (x[0] * x[1] - x[0] / x[2]).pow(2), R(3, 4), R(4), Pos(3, 1));
    [Fact] public void Reductions() => GradCheck(x => x[0].std(1) + x[0].logsumexp(1) + x[0].norm(2, [1]), R(3, 5));
    [Fact] public void SoftmaxAndLog() => GradCheck(x => x[0].log_softmax(1) * x[0].softmax(0), R(3, 4));
    [Fact] public void IndexingAndGather() => GradCheck(x => x[0][TensorIndex.Slice(1, null), 1..3].exp() + x[0].gather(1, tensor(new long[] { 0, 2, 1, 3 }, 2, 2)).sum(), R(3, 4));
    [Fact] public void ShapeOps() => GradCheck(x => cat([x[0].permute(1, 0), x[1].t()], 0).flatten().unsqueeze(0).expand(2, -1) * 3, R(2, 3), R(2, 3));
    [Fact] public void Elementwise() => GradCheck(x => x[0].sigmoid() * x[1].sqrt() + x[0].sin().abs() + x[1].log() + x[0].gelu(), R(6), Pos(6));
    [Fact] public void WhereAndClamp() => GradCheck(x => where(x[0] > 0, x[0] * x[1], x[1].clamp(-0.3, 0.4)), R(8), R(8));
    [Fact] public void Einsum() => GradCheck(x => einsum("bij,bjk->bik", x[0], x[1]), R(2, 3, 4), R(2, 4, 2));
    [Fact] public void MaxAndSort() => GradCheck(x => x[0].max(1).values + x[0].sort(1).values[TensorIndex.Colon, 0] + x[0].topk(2, 1).values.sum(1), R(3, 5));
}
