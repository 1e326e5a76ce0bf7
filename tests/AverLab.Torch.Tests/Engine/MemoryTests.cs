namespace AverLab.Torch.Tests.Engine;

/// <summary>Deterministic disposal: dispose scopes free what they own, keep what is moved out, and a training
/// loop inside scopes leaks nothing (Tensor.LiveCount returns to its baseline). Runs alone: LiveCount is
/// process-wide.</summary>
[Collection("process-wide settings")]
public class MemoryTests
{
    /// <summary>Runs pending finalizers of earlier tests' temporaries so they cannot move the count mid-test.</summary>
    private static long SettledLiveCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Tensor.LiveCount;
    }

    [Fact]
    public void TenThousandTrainingStepsInScopesLeakNothing()
    {
        manual_seed(1);
        using var x = randn(32, 40);
        using var y = randint(0, 8, [32]);
        using var w1 = (randn(40, 16) * 0.1).DetachFromDisposeScope().requires_grad_();
        using var w2 = (randn(16, 8) * 0.1).DetachFromDisposeScope().requires_grad_();
        using var target = zeros(32, 8).scatter_(1, y.unsqueeze(1), 1.0);
        var baseline = SettledLiveCount();
        double first = 0, last = 0;
        for (var step = 0; step < 10_000; step++)
        {
            using var scope = NewDisposeScope();
            var h = x.matmul(w1).relu();
            var logits = h.matmul(w2);
            var loss = -(logits.log_softmax(1) * target).sum(1).mean();
            loss.backward();
            using (no_grad())
            {
                foreach (var w in new[] { w1, w2 })
                {
                    var g = w.grad!;
                    w.sub_(g * 0.05);
                    g.zero_();
                }
            }
            if (step == 0) first = loss.item<double>();
            last = loss.item<double>();
        }
        Assert.Equal(baseline, Tensor.LiveCount);
        Assert.True(last < first * 0.5, $"loss did not fall: {first} -> {last}");
    }

    [Fact]
    public void ScopeFreesEverythingExceptWhatIsMovedOut()
    {
        var baseline = SettledLiveCount();
        Tensor kept;
        Tensor inner;
        using (var outer = NewDisposeScope())
        {
            using (var scope = NewDisposeScope())
            {
                var a = ones(3);
                inner = a + 1;
                kept = (a * 2).MoveToOuterDisposeScope();
                Assert.Equal(2, scope.Count); // a and inner; kept moved out
            }
            Assert.True(inner.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal(new float[] { 2, 2, 2 }, kept.data<float>());
        }
        Assert.True(kept.IsDisposed);
        Assert.Equal(baseline, Tensor.LiveCount);
    }

    [Fact]
    public void DetachedTensorsSurviveAndDisposingTwiceIsSafe()
    {
        var baseline = SettledLiveCount();
        Tensor survivor;
        using (NewDisposeScope())
        {
            survivor = ones(2).DetachFromDisposeScope();
            var doomed = zeros(2);
            doomed.Dispose(); // disposed early; the scope must not double-free it
        }
        Assert.False(survivor.IsDisposed);
        survivor.Dispose();
        Assert.Equal(baseline, Tensor.LiveCount);
    }

    [Fact]
    public void ClosingAnOuterScopeClosesInnerOnes()
    {
        var baseline = SettledLiveCount();
        var outer = NewDisposeScope();
        var inner = NewDisposeScope();
        var t = ones(4);
        outer.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Null(DisposeScope.Current);
        inner.Dispose();
        Assert.Equal(baseline, Tensor.LiveCount);
    }

    [Fact]
    public void ViewsKeepStorageAliveAfterTheBaseIsFreed()
    {
        Tensor view;
        using (var b = arange(0.0, 6.0))
            view = b.view(2, 3)[1];
        using (view)
            Assert.Equal(new float[] { 3, 4, 5 }, view.data<float>());
    }
}
