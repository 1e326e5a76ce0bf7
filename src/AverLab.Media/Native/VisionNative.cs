using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AverLab.Media.Native;

/// <summary>P/Invoke declarations for native/vision: dlib's HOG face detector, which no package offers, and video
/// decoding through the system's FFmpeg (OpenCvSharp4's bundled FFmpeg has no SIMD); the rest of OpenCV goes through
/// OpenCvSharp4, landmarks are managed. Every signature is blittable (pointers and numbers).</summary>
internal static unsafe class VisionNative
{
    internal const string Lib = "averlab_vision";

    [DllImport(Lib)] internal static extern IntPtr avv_take_error();
    [DllImport(Lib)] internal static extern void avv_free_buffer(void* p);
    [DllImport(Lib)] internal static extern int avv_versions(int* dlibMajor, int* dlibMinor);

    [DllImport(Lib)] internal static extern IntPtr avv_hog_create();
    [DllImport(Lib)] internal static extern void avv_hog_free(IntPtr h);
    [DllImport(Lib)] internal static extern int avv_hog_detect(IntPtr h, byte* gray, int width, int height, int upsample, double adjustThreshold, double** output);

    [DllImport(Lib)] internal static extern IntPtr avv_video_open(byte* path, int threads, VideoInfo* info, int* status);
    [DllImport(Lib)] internal static extern int avv_video_grab(IntPtr h, double* seconds);
    [DllImport(Lib)] internal static extern int avv_video_retrieve_rgb(IntPtr h, byte* rgb, int width, int height);
    [DllImport(Lib)] internal static extern void avv_video_close(IntPtr h);
    [DllImport(Lib)] internal static extern int avv_video_versions(uint* avformat, uint* avcodec);

    /// <summary>native/vision/src/video.cpp's avv_video_info.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct VideoInfo
    {
        public int Width, Height, Rotation;
        public double Fps;
        public long FrameCount;
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
