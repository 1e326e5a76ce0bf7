using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AverLab.Torch.Native;

/// <summary>Turns the shim's thread-local error into a .NET exception.</summary>
internal static class NativeErrors
{
    /// <summary>The pending native error as an exception, or a generic one when the shim left none.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Exception Take(string fallback = "native call failed without a message") =>
        TakeIfAny() ?? new TorchException(fallback);

    /// <summary>Whether a native error is pending; clears it into an exception if so.</summary>
    internal static Exception? TakeIfAny()
    {
        var p = LibTorch.alt_take_error(out var kind);
        if (p == IntPtr.Zero) return null;
        var message = Marshal.PtrToStringUTF8(p) ?? "native error";
        return (TorchErrorKind)kind switch
        {
            TorchErrorKind.Index => new TorchIndexException(message),
            TorchErrorKind.Type => new TorchTypeException(message),
            TorchErrorKind.Value => new TorchValueException(message),
            TorchErrorKind.OutOfMemory => new OutOfMemoryException(message),
            var k => new TorchException(message, k),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Check(int rc)
    {
        if (rc < 0) throw Take();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static IntPtr Check(IntPtr h)
    {
        if (h == IntPtr.Zero) throw Take();
        return h;
    }
}
