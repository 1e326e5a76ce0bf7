namespace AverLab.Media.Native;

/// <summary>Facts about the vision libraries in use.</summary>
public static class VisionLibrary
{
    /// <summary>The OpenCV that OpenCvSharp4 loaded, the dlib native/vision (HOG detector) was compiled against and
    /// the FFmpeg libraries it decodes video with, e.g. "OpenCV 4.13.0 (OpenCvSharp4), dlib 19.24, libavcodec 59.37.100".</summary>
    public static unsafe string Versions
    {
        get
        {
            int a, b;
            VisionNative.Check(VisionNative.avv_versions(&a, &b));
            uint format, codec;
            VisionNative.avv_video_versions(&format, &codec);
            return $"OpenCV {OpenCvSharp.Cv2.GetVersionString()} (OpenCvSharp4), dlib {a}.{b}, libavcodec {codec >> 16}.{(codec >> 8) & 0xFF}.{codec & 0xFF}";
        }
    }
}
