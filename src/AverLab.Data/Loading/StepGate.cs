namespace AverLab.Data.Loading;

/// <summary>Keeps the loader's prefetch thread from allocating while the trainer runs an optimizer step.
/// TorchSharp 0.107 passes a <c>Scalar</c> made by implicit conversion (<c>param.addcdiv_(a, b, value: -step_size)</c>
/// inside its Adam/AdamW/SGD steps) to libtorch by raw handle; once the handle is read the Scalar object is
/// unreferenced, and a garbage collection started by another thread's allocation can finalize it while the native
/// call still reads it — libtorch then fails with "Unknown scalar type" or "Expected false to be true ... toFloat"
/// (seen here in a 6-fold cv of a small MLP at fold 2–4, every time). A GC needs an allocation; during the step the
/// only other allocating thread is the prefetch worker, so the step runs under <see cref="Exclusive"/> and the
/// worker makes each example and collates each batch under <see cref="Shared"/>. The main thread's own allocations
/// inside the step happen between native calls, never during one.</summary>
public static class StepGate
{
    private static readonly ReaderWriterLockSlim Gate = new(LockRecursionPolicy.SupportsRecursion);

    public static Scope Exclusive()
    {
        Gate.EnterWriteLock();
        return new Scope(true);
    }

    public static Scope Shared()
    {
        Gate.EnterReadLock();
        return new Scope(false);
    }

    public readonly struct Scope(bool exclusive) : IDisposable
    {
        public void Dispose()
        {
            if (exclusive) Gate.ExitWriteLock();
            else Gate.ExitReadLock();
        }
    }
}
