using System.Runtime.InteropServices;

namespace AverLab.Torch.Native;

/// <summary>P/Invoke declarations for native/src/optim_ops.cpp (the fused ops of PyTorch's optimizers) and
/// native/src/optim_fused.cpp (one-pass Adam/AdamW).</summary>
internal static partial class LibTorch
{
    [DllImport(Lib)] internal static extern IntPtr alt_addcmul(IntPtr self, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern int alt_addcmul_(IntPtr self, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern IntPtr alt_addcdiv(IntPtr self, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern int alt_addcdiv_(IntPtr self, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern int alt_maximum_out(IntPtr output, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern int alt_adam_fused_step(IntPtr param, IntPtr grad, IntPtr exp_avg, IntPtr exp_avg_sq,
        IntPtr max_exp_avg_sq, double lr, double beta1, double beta2, double eps, double weight_decay, double step, int maximize,
        int decoupled);
}
