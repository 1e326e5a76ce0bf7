using AverLab.Media.Images;
using AverLab.Media.Native;

namespace AverLab.Media.Tests.Images;

public class ImageOpsTests
{
    [Fact]
    public void GrayUsesOpenCvWeights()
    {
        var img = new RgbImage(3, 1, [255, 0, 0, 0, 255, 0, 10, 20, 200]);
        var g = img.ToGray();
        Assert.Equal(76, g[0, 0]);   // 0.299 * 255
        Assert.Equal(150, g[1, 0]);  // 0.587 * 255
        Assert.InRange((int)g[2, 0], 37, 38); // 0.299*10 + 0.587*20 + 0.114*200 = 37.5
    }

    [Fact]
    public void AreaResizeAveragesBlocks()
    {
        var g = new GrayImage(4, 2, [0, 10, 100, 110, 20, 30, 120, 130]);
        var half = g.Resize(2, 1, ResizeMode.Area);
        Assert.Equal(new byte[] { 15, 115 }, half.Pixels);
    }

    [Fact]
    public void ResizeKeepsAConstantImageConstantAndHasTheAskedSize()
    {
        var px = Enumerable.Repeat((byte)77, 50 * 30 * 3).ToArray();
        foreach (var mode in Enum.GetValues<ResizeMode>())
        {
            var r = new RgbImage(50, 30, px).Resize(64, 48, mode);
            Assert.Equal((64, 48), (r.Width, r.Height));
            Assert.All(r.Pixels, p => Assert.Equal(77, p));
        }
    }

    [Fact]
    public void CropCopiesTheRectangleAndPaddedCropFillsOutside()
    {
        var g = new GrayImage(4, 3, [.. Enumerable.Range(0, 12).Select(i => (byte)(i + 1))]);
        Assert.Equal(new byte[] { 6, 7, 10, 11 }, g.Crop(1, 1, 2, 2).Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Crop(3, 1, 2, 2));
        var padded = g.CropPadded(3, 2, 2, 2, fill: 9);
        Assert.Equal(new byte[] { 12, 9, 9, 9 }, padded.Pixels);
        var rgb = g.ToRgb().CropPadded(-1, -1, 2, 2);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1 }, rgb.Pixels);
    }

    [Fact]
    public void IdentityWarpReturnsTheImage()
    {
        var img = VisionTestData.Load(VisionTestData.Messi);
        var same = img.WarpAffine([1, 0, 0, 0, 1, 0], img.Width, img.Height);
        Assert.Equal(img.Pixels, same.Pixels);
        var shifted = img.ToGray().WarpAffine([1, 0, 5, 0, 1, 0], img.Width, img.Height, ResizeMode.Nearest);
        Assert.Equal(img.ToGray()[100, 50], shifted[105, 50]);
        Assert.Equal(0, shifted[2, 50]);
    }

    [Fact]
    public void WrongPixelBufferSizesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new RgbImage(2, 2, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(0, 2, []));
    }

    [Fact]
    public void NativeErrorsBecomeExceptionsNotCrashes()
    {
        Assert.Matches(@"OpenCV 4\.\d+\.\d+ \(OpenCvSharp4\), dlib 19\.\d+, libavcodec 59\.\d+\.\d+", VisionLibrary.Versions);
        var e = Assert.Throws<VisionException>(() => new AverLab.Media.Faces.HogFaceDetector { Upsample = 9 }.Detect(new GrayImage(10, 10)));
        Assert.Contains("upsample", e.Message);
    }

    [Fact]
    public void DrawingMarksPixelsInsideTheImageOnly()
    {
        var img = new RgbImage(10, 10);
        ImageDrawing.DrawRectangle(img, 2, 2, 5, 5, (255, 0, 0), thickness: 1);
        ImageDrawing.DrawPoint(img, 9, 9, (0, 255, 0), radius: 2);
        Assert.Equal(((byte)255, (byte)0, (byte)0), img.GetPixel(2, 4));
        Assert.Equal(((byte)0, (byte)0, (byte)0), img.GetPixel(4, 4));
        Assert.Equal(((byte)0, (byte)255, (byte)0), img.GetPixel(9, 9));
    }
}
