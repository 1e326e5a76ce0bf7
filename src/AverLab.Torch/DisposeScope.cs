namespace AverLab.Torch;

/// <summary>Frees, when disposed, every tensor created on this thread while it was the innermost scope, except
/// those moved out (<see cref="Tensor.MoveToOuterDisposeScope"/>) or detached
/// (<see cref="Tensor.DetachFromDisposeScope"/>). A training step inside a scope leaks nothing, which the GC
/// alone cannot promise because it does not see native memory.</summary>
/// <example><code>
/// using (var scope = torch.NewDisposeScope()) {
///     var loss = model.forward(x).sum();
///     loss.backward();
///     return loss.MoveToOuterDisposeScope();
/// }
/// </code></example>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly List<Tensor> owned = new();
    private bool disposed;

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    /// <summary>The innermost open scope of this thread, if any.</summary>
    public static DisposeScope? Current => current;

    /// <summary>The scope that was innermost when this one opened.</summary>
    public DisposeScope? Outer { get; }

    /// <summary>How many tensors this scope would free now.</summary>
    public int Count => owned.Count(t => ReferenceEquals(t.OwningScope, this) && !t.IsDisposed);

    internal void Register(Tensor t)
    {
        t.OwningScope = this;
        owned.Add(t);
    }

    /// <summary>Makes this scope (not the innermost one) own a tensor.</summary>
    public Tensor Include(Tensor t)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Register(t);
        return t;
    }

    public void Dispose()
    {
        if (disposed) return;
        // Closing an outer scope first also closes the scopes opened inside it on this thread.
        if (IsOpenBelowCurrent())
            while (!ReferenceEquals(current, this)) current!.Dispose();
        disposed = true;
        // Tensors moved elsewhere carry another OwningScope; only ours are freed.
        foreach (var t in owned)
            if (ReferenceEquals(t.OwningScope, this)) t.Dispose();
        owned.Clear();
        if (ReferenceEquals(current, this)) current = Outer;
    }

    private bool IsOpenBelowCurrent()
    {
        for (var s = current; s != null; s = s.Outer)
            if (ReferenceEquals(s, this)) return true;
        return false;
    }
}
