namespace AverLab.Torch.Tests.Engine;

public class AutogradTests
{
    [Fact]
    public void BackwardAccumulatesAndGradCanBeCleared()
    {
        using var scope = NewDisposeScope();
        var w = tensor(new float[] { 1, 2, 3 }).requires_grad_();
        (w * w).sum().backward();
        Assert.Equal(new float[] { 2, 4, 6 }, w.grad!.data<float>());
        (w * 3).sum().backward();
        Assert.Equal(new float[] { 5, 7, 9 }, w.grad!.data<float>());
        w.grad = null;
        Assert.Null(w.grad);
        Assert.True(w.is_leaf);
        Assert.Equal("MulBackward0", (w * w).grad_fn);
        Assert.Null(w.grad_fn);
    }

    [Fact]
    public void BackwardWithGradientAndRetainGraph()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1, 2 }).requires_grad_();
        var y = x.pow(3);
        y.backward(tensor(new double[] { 1, 10 }), retain_graph: true);
        Assert.Equal(new double[] { 3, 120 }, x.grad!.data<double>());
        y.backward(tensor(new double[] { 1, 1 }));
        Assert.Equal(new double[] { 6, 132 }, x.grad!.data<double>());
        Assert.Throws<TorchException>(() => y.backward(tensor(new double[] { 1, 1 }))); // graph freed
    }

    [Fact]
    public void SecondDerivativeThroughCreateGraph()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 0.5, 2 }).requires_grad_();
        var y = (x.pow(3)).sum();
        var dy = autograd.grad([y], [x], create_graph: true)[0]!;
        Assert.Equal(new double[] { 0.75, 12 }, dy.data<double>());
        var d2 = autograd.grad([dy.sum()], [x])[0]!;
        Assert.Equal(new double[] { 3, 12 }, d2.data<double>());
    }

    [Fact]
    public void UnusedInputsAreNullOnlyWhenAllowed()
    {
        using var scope = NewDisposeScope();
        var a = ones([2], requires_grad: true);
        var b = ones([2], requires_grad: true);
        var y = (a * 2).sum();
        var grads = autograd.grad([y], [a, b], retain_graph: true, allow_unused: true);
        Assert.NotNull(grads[0]);
        Assert.Null(grads[1]);
        Assert.Throws<TorchException>(() => autograd.grad([y], [a, b]));
    }

    [Fact]
    public void NoGradScopesNestAndRestore()
    {
        using var scope = NewDisposeScope();
        var w = ones([2], requires_grad: true);
        Assert.True(is_grad_enabled());
        using (no_grad())
        {
            Assert.False((w * 2).requires_grad);
            using (enable_grad())
                Assert.True((w * 2).requires_grad);
            Assert.False(is_grad_enabled());
        }
        Assert.True(is_grad_enabled());
        Assert.True((w * 2).requires_grad);
        Assert.False((w * 2).detach().requires_grad);
    }

    [Fact]
    public void GradModeIsThreadLocal()
    {
        using (no_grad())
        {
            var other = false;
            var thread = new Thread(() => other = is_grad_enabled());
            thread.Start();
            thread.Join();
            Assert.True(other);
            Assert.False(is_grad_enabled());
        }
    }
}
