using AverLab.Media.Images;
using AverLab.Tests.Support;

namespace AverLab.Media.Tests.Images;

/// <summary>Random corruptions of real PNG and JPEG bytes go through libpng/libjpeg inside OpenCV: each must decode
/// or fail with MediaFormatException, never crash the process or leak another exception type.</summary>
public class ImageCorruptionTests
{
    [Theory]
    [InlineData(ImageFormat.Png, 1)]
    [InlineData(ImageFormat.Jpeg, 2)]
    [Trait("Category", Category.Fuzz)]
    public void MutatedImagesDecodeOrFailCleanly(ImageFormat format, int seed)
    {
        var source = VisionTestData.Load(VisionTestData.Messi).Resize(96, 60);
        var valid = ImageCodec.Encode(source, format);
        var rng = new Random(seed);
        int decoded = 0, rejected = 0;
        for (var trial = 0; trial < FuzzScale.Cases(300); trial++)
        {
            var bytes = (byte[])valid.Clone();
            switch (rng.Next(3))
            {
                case 0: // flip a few bytes
                    for (var k = rng.Next(1, 8); k > 0; k--) bytes[rng.Next(bytes.Length)] ^= (byte)rng.Next(1, 256);
                    break;
                case 1: // truncate
                    bytes = bytes[..rng.Next(1, bytes.Length)];
                    break;
                default: // overwrite a run with garbage (often inside the header)
                    var at = rng.Next(Math.Min(64, bytes.Length));
                    for (var k = at; k < Math.Min(bytes.Length, at + rng.Next(1, 16)); k++) bytes[k] = (byte)rng.Next(256);
                    break;
            }
            try
            {
                var img = ImageCodec.Decode(bytes, $"mutation-{trial}");
                Assert.Equal(img.Width * img.Height * 3, img.Pixels.Length);
                decoded++;
            }
            catch (MediaFormatException e)
            {
                Assert.Equal($"mutation-{trial}", e.Path);
                rejected++;
            }
        }
        Assert.True(rejected > 0, "no corruption was ever rejected: the test is not exercising the error path");
        Assert.Equal(FuzzScale.Cases(300), decoded + rejected);
    }

    /// <summary>A JPEG whose frame header claims 12000 x 12000 pixels (PredictFuzzTests found a mutated header that
    /// OpenCV decoded as 31505 x 30200, whose RGB bytes overflowed an array: an internal error): refused by name.</summary>
    [Fact]
    public void HeaderClaimingAHugeImageIsRefusedWithTheFileName()
    {
        var bytes = ImageCodec.Encode(VisionTestData.Load(VisionTestData.Messi).Resize(96, 60), ImageFormat.Jpeg);
        var sof = Enumerable.Range(0, bytes.Length - 1).First(i => bytes[i] == 0xFF && bytes[i + 1] == 0xC0);
        bytes[sof + 5] = bytes[sof + 7] = 12000 >> 8;        // height, then width, big-endian
        bytes[sof + 6] = bytes[sof + 8] = 12000 & 0xFF;
        var e = Assert.Throws<MediaFormatException>(() => ImageCodec.Decode(bytes, "huge.jpg"));
        Assert.Equal("huge.jpg", e.Path);
        Assert.Contains("12000 x 12000", e.Message);
    }

    /// <summary>The header's size is read without decoding, for every format the codec writes, and a PNG header
    /// claiming a huge image is refused before OpenCV allocates it.</summary>
    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    [InlineData(".bmp")]
    [InlineData(".webp")]
    public void HeaderSizeIsReadWithoutDecoding(string ext)
    {
        var image = VisionTestData.Load(VisionTestData.Messi).Resize(97, 61);
        var mat = OpenCvSharp.Mat.FromPixelData(image.Height, image.Width, OpenCvSharp.MatType.CV_8UC3, image.Pixels);
        OpenCvSharp.Cv2.ImEncode(ext, mat, out var bytes);
        Assert.Equal((97L, 61L), ImageHeader.TryReadSize(bytes));
        Assert.Null(ImageHeader.TryReadSize(bytes.AsSpan(0, 3)));
        Assert.Null(ImageHeader.TryReadSize("not an image at all"u8));
    }

    [Fact]
    public void PngHeaderClaimingAHugeImageIsRefusedBeforeDecoding()
    {
        var bytes = ImageCodec.Encode(VisionTestData.Load(VisionTestData.Messi).Resize(96, 60), ImageFormat.Png);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), 40000); // IHDR width, height
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), 30000);
        var e = Assert.Throws<MediaFormatException>(() => ImageCodec.Decode(bytes, "huge.png"));
        Assert.Equal("huge.png", e.Path);
        Assert.Contains("header claims an image of 40000 x 30000", e.Message);
    }

    /// <summary>A PNG chunk length beyond the file's end (a truncated download, or one corrupt length field that
    /// OpenCV would allocate gigabytes for) is refused naming the chunk; a whole PNG passes the same check.</summary>
    [Fact]
    public void PngChunkLongerThanTheFileIsRefusedNamingTheChunk()
    {
        var bytes = ImageCodec.Encode(VisionTestData.Load(VisionTestData.Messi).Resize(96, 60), ImageFormat.Png);
        Assert.Null(ImageHeader.PngChunkOverrun(bytes));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(33), 0xE4002000); // the chunk after IHDR
        var e = Assert.Throws<MediaFormatException>(() => ImageCodec.Decode(bytes, "long.png"));
        Assert.Equal("long.png", e.Path);
        Assert.Contains("PNG chunk 'IDAT' at byte 33 claims 3,825,213,440 bytes", e.Message);
        var truncated = ImageCodec.Encode(VisionTestData.Load(VisionTestData.Messi).Resize(96, 60), ImageFormat.Png)[..200];
        Assert.Contains("(truncated or corrupt)", Assert.Throws<MediaFormatException>(() => ImageCodec.Decode(truncated, "cut.png")).Message);
    }
}
