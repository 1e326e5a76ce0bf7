using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AverLab.Media.Native;

/// <summary>P/Invoke declarations for native/vision (OpenCV + dlib). Every signature is blittable (pointers and
/// numbers); strings cross as NUL-terminated UTF-8 bytes made by <see cref="Utf8"/>.</summary>
internal static unsafe class VisionNative
{
    internal const string Lib = "averlab_vision";

    [DllImport(Lib)] internal static extern IntPtr avv_take_error();
    [DllImport(Lib)] internal static extern void avv_free_buffer(void* p);
    [DllImport(Lib)] internal static extern int avv_versions(int* cvMajor, int* cvMinor, int* dlibMajor, int* dlibMinor);

    [DllImport(Lib)] internal static extern int avv_imdecode(byte* bytes, long length, int gray, int* width, int* height, int* channels, byte** pixels);
    [DllImport(Lib)] internal static extern int avv_imencode(byte* pixels, int width, int height, int channels, int format, int quality, byte** output, long* length);
    [DllImport(Lib)] internal static extern int avv_resize(byte* src, int width, int height, int channels, byte* dst, int dstWidth, int dstHeight, int interpolation);
    [DllImport(Lib)] internal static extern int avv_rgb_to_gray(byte* src, int width, int height, byte* dst);
    [DllImport(Lib)] internal static extern int avv_warp_affine(byte* src, int width, int height, int channels, double* m, byte* dst, int dstWidth, int dstHeight, int interpolation, int border, int borderValue);

    [DllImport(Lib)] internal static extern IntPtr avv_haar_load(byte* path);
    [DllImport(Lib)] internal static extern void avv_haar_free(IntPtr h);
    [DllImport(Lib)] internal static extern int avv_haar_detect(IntPtr h, byte* gray, int width, int height, double scaleFactor, int minNeighbors, int minSize, int maxSize, int** rects);

    [DllImport(Lib)] internal static extern IntPtr avv_hog_create();
    [DllImport(Lib)] internal static extern void avv_hog_free(IntPtr h);
    [DllImport(Lib)] internal static extern int avv_hog_detect(IntPtr h, byte* gray, int width, int height, int upsample, double adjustThreshold, double** output);

    [DllImport(Lib)] internal static extern IntPtr avv_shape_load(byte* path);
    [DllImport(Lib)] internal static extern void avv_shape_free(IntPtr h);
    [DllImport(Lib)] internal static extern int avv_shape_num_parts(IntPtr h);
    [DllImport(Lib)] internal static extern int avv_shape_predict(IntPtr h, byte* gray, int width, int height, int x, int y, int w, int hgt, float* points, int capacity);

    internal static byte[] Utf8(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    /// <summary>The pending native error's message (and clears it), or the fallback.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static string TakeError(string fallback = "native vision call failed without a message")
    {
        var p = avv_take_error();
        return p == IntPtr.Zero ? fallback : Marshal.PtrToStringUTF8(p) ?? fallback;
    }

    /// <summary>Throws the pending native error as a <see cref="VisionException"/> when rc is negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Check(int rc)
    {
        if (rc < 0) throw new VisionException(TakeError());
        return rc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static IntPtr Check(IntPtr h)
    {
        if (h == IntPtr.Zero) throw new VisionException(TakeError());
        return h;
    }
}
