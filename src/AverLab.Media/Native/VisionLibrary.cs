namespace AverLab.Media.Native;

/// <summary>Facts about the vision libraries in use.</summary>
public static class VisionLibrary
{
    /// <summary>The OpenCV that OpenCvSharp4 loaded and the dlib native/vision (HOG detector) was compiled against,
    /// e.g. "OpenCV 4.13.0 (OpenCvSharp4), dlib 19.24".</summary>
    public static unsafe string Versions
    {
        get
        {
            int a, b;
            VisionNative.Check(VisionNative.avv_versions(&a, &b));
            return $"OpenCV {OpenCvSharp.Cv2.GetVersionString()} (OpenCvSharp4), dlib {a}.{b}";
        }
    }
}
