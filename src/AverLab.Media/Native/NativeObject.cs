using System.Runtime.InteropServices;

namespace AverLab.Media.Native;

/// <summary>Owns one native vision object (cascade, HOG detector, shape predictor) and frees it exactly once,
/// never while a call that borrowed it with <see cref="Acquire"/> is still running on another thread.</summary>
internal sealed class NativeObject : SafeHandle
{
    private readonly Action<IntPtr> _free;

    internal NativeObject(IntPtr handle, Action<IntPtr> free) : base(IntPtr.Zero, ownsHandle: true)
    {
        _free = free;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The raw pointer, with a reference held so Dispose waits until <see cref="Release"/>; throws
    /// ObjectDisposedException once disposed. Always pair with Release in a finally block.</summary>
    internal IntPtr Acquire()
    {
        var added = false;
        DangerousAddRef(ref added);
        return handle;
    }

    internal void Release() => DangerousRelease();

    protected override bool ReleaseHandle()
    {
        _free(handle);
        return true;
    }
}
