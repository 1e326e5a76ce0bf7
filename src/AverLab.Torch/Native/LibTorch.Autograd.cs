using System.Runtime.InteropServices;

namespace AverLab.Torch.Native;

/// <summary>P/Invoke declarations for native/src/autograd.cpp.</summary>
internal static unsafe partial class LibTorch
{
    [DllImport(Lib)] internal static extern int alt_backward(IntPtr h, IntPtr grad, int retainGraph, int createGraph);
    [DllImport(Lib)] internal static extern IntPtr alt_grad(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_set_grad(IntPtr h, IntPtr grad);
    [DllImport(Lib)] internal static extern int alt_retain_grad(IntPtr h);
    [DllImport(Lib)] internal static extern int alt_autograd_grad(IntPtr* outs, int nout, IntPtr* ins, int nin, IntPtr* gouts, int ngouts, int retainGraph, int createGraph, int allowUnused, IntPtr* result);
    [DllImport(Lib)] internal static extern int alt_grad_fn_name(IntPtr h, byte* buf, int cap);
}
