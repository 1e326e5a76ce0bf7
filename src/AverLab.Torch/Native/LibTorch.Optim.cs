using System.Runtime.InteropServices;

namespace AverLab.Torch.Native;

/// <summary>P/Invoke declarations for native/src/optim_ops.cpp: the fused ops of PyTorch's optimizers.</summary>
internal static partial class LibTorch
{
    [DllImport(Lib)] internal static extern IntPtr alt_addcmul(IntPtr self, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern int alt_addcmul_(IntPtr self, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern IntPtr alt_addcdiv(IntPtr self, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern int alt_addcdiv_(IntPtr self, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern int alt_maximum_out(IntPtr output, IntPtr a, IntPtr b);
}
