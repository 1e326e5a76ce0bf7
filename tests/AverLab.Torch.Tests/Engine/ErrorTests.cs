namespace AverLab.Torch.Tests.Engine;

/// <summary>Native errors become .NET exceptions carrying libtorch's message; the process never aborts.</summary>
public class ErrorTests
{
    [Fact]
    public void ShapeMismatchIsATorchExceptionWithLibtorchsMessage()
    {
        using var a = ones(2, 3);
        using var b = ones(4, 5);
        var e = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("cannot be multiplied", e.Message);
        var add = Assert.ThrowsAny<TorchException>(() => ones(2, 3) + ones(4, 3));
        Assert.Contains("must match the size", add.Message);
    }

    [Fact]
    public void OutOfRangeIndexIsAnIndexException()
    {
        using var a = ones(2, 3);
        var e = Assert.Throws<TorchIndexException>(() => a.select(1, 7));
        Assert.Contains("out of range", e.Message);
        Assert.Throws<TorchIndexException>(() => a[5]);
        Assert.Throws<TorchIndexException>(() => a.sum(4));
    }

    [Fact]
    public void BadDtypeIsReported()
    {
        using var f = ones(3);
        using var i = ones([3], dtype: int64);
        // index_select needs integer indices.
        var e = Assert.ThrowsAny<TorchException>(() => f.index_select(0, f));
        Assert.Contains("int64", e.Message);
        var data = Assert.Throws<TorchTypeException>(() => i.data<float>());
        Assert.Contains("float32", data.Message);
        Assert.Throws<TorchTypeException>(() => set_default_dtype(int64));
    }

    [Fact]
    public void BadViewAndReshapeAreReported()
    {
        using var a = ones(2, 3);
        var e = Assert.ThrowsAny<TorchException>(() => a.view(4, 2));
        Assert.Contains("invalid for input of size 6", e.Message);
        using var t = a.t();
        Assert.ThrowsAny<TorchException>(() => t.view(6));
    }

    [Fact]
    public void AutogradMisuseIsReported()
    {
        using var a = ones(3);
        var e = Assert.Throws<TorchException>(() => a.sum().backward());
        Assert.Contains("does not require grad", e.Message);
        using var w = ones([3], requires_grad: true);
        using var y = w * 2;
        var nonScalar = Assert.Throws<TorchException>(() => y.backward());
        Assert.Contains("scalar outputs", nonScalar.Message);
        var item = Assert.ThrowsAny<TorchException>(() => y.item<float>());
        Assert.Contains("with 3 elements cannot be converted to Scalar", item.Message);
    }

    [Fact]
    public void UsingADisposedTensorThrowsObjectDisposed()
    {
        var a = ones(2);
        a.Dispose();
        Assert.Throws<ObjectDisposedException>(() => a.sum());
        a.Dispose(); // a second Dispose is harmless
        Assert.Equal("tensor(<disposed>)", a.ToString());
    }

    [Fact]
    public void ErrorsDoNotLeakIntoLaterCalls()
    {
        Assert.ThrowsAny<TorchException>(() => ones(2, 3).matmul(ones(2, 3)));
        using var ok = ones(2, 3).matmul(ones(3, 2));
        Assert.Equal(new long[] { 2, 2 }, ok.shape);
        Assert.Null(ok.grad); // an undefined grad is null, not a stale error
    }

    [Fact]
    public void ErrorsAreThreadLocal()
    {
        var messages = new string[4];
        Parallel.For(0, 4, i =>
        {
            var e = Assert.ThrowsAny<TorchException>(() => ones(i + 1, 2).matmul(ones(3 + i, 2)));
            messages[i] = e.Message;
        });
        for (var i = 0; i < 4; i++) Assert.Contains($"{i + 1}x2 and {3 + i}x2", messages[i]);
    }
}
