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
}
