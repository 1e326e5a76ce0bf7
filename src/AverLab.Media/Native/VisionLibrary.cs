namespace AverLab.Media.Native;

/// <summary>Facts about the loaded native vision library.</summary>
public static class VisionLibrary
{
    /// <summary>The OpenCV and dlib versions native/vision was compiled against, e.g. "OpenCV 4.6, dlib 19.24".</summary>
    public static unsafe string Versions
    {
        get
        {
            int a, b, c, d;
            VisionNative.Check(VisionNative.avv_versions(&a, &b, &c, &d));
            return $"OpenCV {a}.{b}, dlib {c}.{d}";
        }
    }
}
