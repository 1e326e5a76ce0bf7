using AverLab.Torch.Native;

namespace AverLab.Torch;

// Grad mode scopes, torch.autograd.grad, and thread settings.
public static partial class torch
{
    /// <summary>Sets grad mode for this thread until disposed, then restores the previous mode. Nestable.</summary>
    public sealed class GradModeScope : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        internal GradModeScope(bool enabled)
        {
            previous = LibTorch.alt_is_grad_enabled() == 1;
            LibTorch.alt_set_grad_enabled(enabled ? 1 : 0);
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            LibTorch.alt_set_grad_enabled(previous ? 1 : 0);
        }
    }

    /// <summary><c>using (torch.no_grad()) { ... }</c>: no graph is recorded inside (thread-local).</summary>
    public static GradModeScope no_grad() => new(false);

    /// <summary>Re-enables gradient recording inside a no_grad block.</summary>
    public static GradModeScope enable_grad() => new(true);

    public static GradModeScope set_grad_enabled(bool enabled) => new(enabled);

    public static class autograd
    {
        /// <summary>Gradients of outputs w.r.t. inputs (torch.autograd.grad); an input that the outputs do not
        /// depend on gives null when allow_unused, an error otherwise.</summary>
        public static unsafe Tensor?[] grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs,
            IReadOnlyList<Tensor?>? grad_outputs = null, bool? retain_graph = null, bool create_graph = false,
            bool allow_unused = false)
        {
            var outs = outputs.Select(t => t.Handle).ToArray();
            var ins = inputs.Select(t => t.Handle).ToArray();
            var gouts = (grad_outputs ?? []).Select(t => t?.Handle ?? IntPtr.Zero).ToArray();
            var result = new IntPtr[ins.Length];
            int rc;
            fixed (IntPtr* o = outs)
            fixed (IntPtr* i = ins)
            fixed (IntPtr* g = gouts)
            fixed (IntPtr* r = result)
                rc = LibTorch.alt_autograd_grad(o, outs.Length, i, ins.Length, g, gouts.Length,
                    retain_graph.HasValue ? (retain_graph.Value ? 1 : 0) : -1, create_graph ? 1 : 0, allow_unused ? 1 : 0, r);
            GC.KeepAlive(outputs);
            GC.KeepAlive(inputs);
            GC.KeepAlive(grad_outputs);
            NativeErrors.Check(rc);
            return result.Select(h => h == IntPtr.Zero ? null : new Tensor(h)).ToArray();
        }
    }

    // ---- threads ----------------------------------------------------------------------------------------------
    /// <summary>Intra-op threads used by libtorch kernels (torch.set_num_threads).</summary>
    public static void set_num_threads(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "thread count must be at least 1");
        NativeErrors.Check(LibTorch.alt_set_num_threads(n));
    }

    public static int get_num_threads() => LibTorch.alt_get_num_threads();

    /// <summary>Inter-op threads (torch.set_num_interop_threads). libtorch allows this once, before any parallel
    /// work; a second call raises a <see cref="TorchException"/> with libtorch's message.</summary>
    public static void set_num_interop_threads(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "thread count must be at least 1");
        NativeErrors.Check(LibTorch.alt_set_num_interop_threads(n));
    }

    public static int get_num_interop_threads() => LibTorch.alt_get_num_interop_threads();
}
