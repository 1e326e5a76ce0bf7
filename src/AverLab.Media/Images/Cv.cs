using AverLab.Media.Native;
using OpenCvSharp;

namespace AverLab.Media.Images;

/// <summary>The bridge between AverLab's plain pixel arrays and OpenCvSharp: cv::Mat views over pinned managed
/// memory (no copy), and OpenCV errors as <see cref="VisionException"/>. Colour images are RGB on this side;
/// OpenCV's BGR stays inside the callers' conversions.</summary>
internal static unsafe class Cv
{
    internal static MatType TypeOf(int channels) => channels switch
    {
        1 => MatType.CV_8UC1,
        3 => MatType.CV_8UC3,
        4 => MatType.CV_8UC4,
        _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, "images have 1, 3 or 4 channels"),
    };

    /// <summary>A Mat header over <paramref name="data"/>, which the caller keeps pinned while the Mat lives.</summary>
    internal static Mat View(byte* data, int width, int height, int channels) =>
        Mat.FromPixelData(height, width, TypeOf(channels), (IntPtr)data);

    /// <summary>Runs an OpenCV call, turning its error into a <see cref="VisionException"/> naming the operation.</summary>
    internal static void Run(string operation, Action call)
    {
        try
        {
            call();
        }
        catch (OpenCVException e)
        {
            throw new VisionException($"OpenCV {operation}: {e.ErrMsg}");
        }
    }

    /// <summary>Calls <paramref name="op"/> with Mat views of src and a freshly allocated dst; fails if OpenCV
    /// reallocated the output instead of writing into it.</summary>
    internal static byte[] Apply(string operation, byte[] src, int width, int height, int channels,
        int dstWidth, int dstHeight, int dstChannels, Action<Mat, Mat> op)
    {
        var dst = new byte[checked(dstWidth * dstHeight * dstChannels)];
        fixed (byte* s = src)
        fixed (byte* d = dst)
        {
            using var sm = View(s, width, height, channels);
            using var dm = View(d, dstWidth, dstHeight, dstChannels);
            Run(operation, () => op(sm, dm));
            if (dm.Data != (IntPtr)d) throw new VisionException($"OpenCV {operation} reallocated its output");
        }
        return dst;
    }

    /// <summary>The pixels of a continuous 8-bit Mat as a new array.</summary>
    internal static byte[] ToArray(Mat m)
    {
        using var c = m.IsContinuous() ? null : m.Clone();
        var src = c ?? m;
        var n = checked((int)(src.Total() * src.ElemSize()));
        return new ReadOnlySpan<byte>((void*)src.Data, n).ToArray();
    }
}
