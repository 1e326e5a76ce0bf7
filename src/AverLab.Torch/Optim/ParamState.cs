namespace AverLab.Torch.Optim;

/// <summary>The per-parameter state of an optimizer (PyTorch's optimizer.state[p]): each optimizer nests its own
/// subclass with the same fields as PyTorch's dict (SGD.State.momentum_buffer, Adam.State.exp_avg, ...). The
/// tensors are owned by the state (outside every dispose scope) and freed by <see cref="Dispose"/>.</summary>
public abstract class ParamState : IDisposable
{
    /// <summary>The state's tensors under PyTorch's keys (step counters as one-element tensors, as PyTorch
    /// stores them); the caller must not dispose them.</summary>
    public abstract IEnumerable<(string key, Tensor value)> named_tensors();

    /// <summary>Fills this state from tensors saved by <see cref="named_tensors"/>, copying them; checks shapes
    /// and dtypes against <paramref name="param"/>. <paramref name="get"/> returns null for a missing key.</summary>
    public abstract void load(Func<string, Tensor?> get, Tensor param, string source);

    /// <summary>A deep copy whose tensors are independent of this state's.</summary>
    public abstract ParamState clone();

    public void Dispose()
    {
        foreach (var (_, t) in named_tensors()) t.Dispose();
        GC.SuppressFinalize(this);
    }

    // ---- helpers for the subclasses -----------------------------------------------------------------------------

    /// <summary>A state tensor kept past every dispose scope (the optimizer frees it).</summary>
    protected internal static Tensor Own(Tensor t) => t.DetachFromDisposeScope();

    protected static Tensor? CopyOptional(Tensor? t) => t == null ? null : Own(t.clone());

    protected static Tensor Copy(Tensor t) => Own(t.clone());

    /// <summary>A copy of the saved tensor <paramref name="key"/>, checked to match the parameter's shape and dtype.</summary>
    protected static Tensor LoadLike(Func<string, Tensor?> get, string key, Tensor param, string source)
    {
        var t = get(key) ?? throw new FormatException($"{source}: missing state tensor \"{key}\"");
        if (!t.shape.SequenceEqual(param.shape))
            throw new FormatException($"{source}: state tensor \"{key}\" has shape [{string.Join(", ", t.shape)}], but its parameter has shape [{string.Join(", ", param.shape)}]");
        if (t.dtype != param.dtype)
            throw new FormatException($"{source}: state tensor \"{key}\" is {t.dtype.PyTorchName()}, but its parameter is {param.dtype.PyTorchName()}");
        return Own(t.to(param.device, copy: true));
    }

    protected static Tensor? LoadLikeOptional(Func<string, Tensor?> get, string key, Tensor param, string source) =>
        get(key) == null ? null : LoadLike(get, key, param, source);

    /// <summary>A step counter saved as a one-element tensor.</summary>
    protected static double LoadScalar(Func<string, Tensor?> get, string key, string source)
    {
        var t = get(key) ?? throw new FormatException($"{source}: missing state tensor \"{key}\"");
        if (t.numel() != 1) throw new FormatException($"{source}: state tensor \"{key}\" must hold one value, it has {t.numel()}");
        return t.dtype.IsFloatingPoint() ? t.item<double>() : t.item<long>();
    }
}
