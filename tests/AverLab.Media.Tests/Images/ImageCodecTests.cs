using AverLab.Media.Images;

namespace AverLab.Media.Tests.Images;

public class ImageCodecTests
{
    [Fact]
    public void LoadsRealJpegAndPngWithTheirSizes()
    {
        var messi = VisionTestData.Load(VisionTestData.Messi);
        Assert.Equal((548, 342), (messi.Width, messi.Height));
        var astronaut = VisionTestData.Load(VisionTestData.Astronaut);
        Assert.Equal((512, 512), (astronaut.Width, astronaut.Height));
        var gray = ImageCodec.LoadGray(VisionTestData.Astronaut);
        Assert.Equal((512, 512), (gray.Width, gray.Height));
    }

    [Fact]
    public void ChannelsAreRgbNotOpenCvsBgr()
    {
        using var dir = new VisionTestData.TempDir();
        // A binary PPM stores R, G, B in that order: OpenCV decodes it to BGR, AverLab must hand back RGB.
        var path = dir.File("red.ppm");
        var pixels = new byte[8 * 6 * 3];
        for (var i = 0; i < pixels.Length; i += 3) pixels[i] = 255;
        File.WriteAllBytes(path, [.. "P6\n8 6\n255\n"u8, .. pixels]);
        var img = ImageCodec.Load(path);
        Assert.Equal((8, 6), (img.Width, img.Height));
        Assert.Equal(((byte)255, (byte)0, (byte)0), img.GetPixel(3, 2));
    }

    [Fact]
    public void PngRoundTripIsExactForRgbAndGray()
    {
        var rng = new Random(7);
        var px = new byte[37 * 21 * 3];
        rng.NextBytes(px);
        var img = new RgbImage(37, 21, px);
        var back = ImageCodec.Decode(ImageCodec.Encode(img, ImageFormat.Png), "memory.png");
        Assert.Equal(img.Pixels, back.Pixels);

        var gray = new GrayImage(37, 21, px[..(37 * 21)]);
        using var dir = new VisionTestData.TempDir();
        ImageCodec.Save(gray, dir.File("g.png"));
        Assert.Equal(gray.Pixels, ImageCodec.LoadGray(dir.File("g.png")).Pixels);
    }

    [Fact]
    public void JpegRoundTripIsClose()
    {
        var img = VisionTestData.Load(VisionTestData.Astronaut);
        using var dir = new VisionTestData.TempDir();
        ImageCodec.Save(img, dir.File("a.jpg"), jpegQuality: 95);
        var back = ImageCodec.Load(dir.File("a.jpg"));
        var meanAbs = img.Pixels.Zip(back.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanAbs, 0.01, 3.0); // lossy, but close at quality 95
    }

    [Fact]
    public void MissingFileNamesTheFile()
    {
        var e = Assert.Throws<MediaFormatException>(() => ImageCodec.Load("/nonexistent/face.png"));
        Assert.Equal("/nonexistent/face.png", e.Path);
        Assert.Contains("not found", e.Message);
    }

    [Theory]
    [InlineData("text.png", "this is not an image\n")]
    [InlineData("empty.jpg", "")]
    [InlineData("header-only.png", "\u0089PNG\r\n\u001a\n")]
    public void UnreadableImageNamesTheFile(string name, string content)
    {
        using var dir = new VisionTestData.TempDir();
        var path = dir.File(name);
        File.WriteAllText(path, content, System.Text.Encoding.Latin1);
        var e = Assert.Throws<MediaFormatException>(() => ImageCodec.Load(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("unreadable image", e.Message);
        Assert.Throws<MediaFormatException>(() => ImageCodec.LoadGray(path));
    }

    [Fact]
    public void SavingToAnUnknownExtensionIsRefused()
    {
        using var dir = new VisionTestData.TempDir();
        Assert.Throws<ArgumentException>(() => ImageCodec.Save(new RgbImage(2, 2), dir.File("x.gif")));
    }
}
