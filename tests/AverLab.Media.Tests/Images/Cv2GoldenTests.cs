using AverLab.Media.Faces;
using AverLab.Media.Images;
using AverLab.IO;

namespace AverLab.Media.Tests.Images;

/// <summary>Parity with Python's cv2 on Debian's real photos: fixtures written by tests/golden/vision_cv2.py
/// (python3-opencv 4.6, the same libopencv AverLab calls), so the tolerance is zero: decoding, colour order,
/// gray weights, resize, warpAffine and Haar detection with cv2's usual arguments give identical numbers.</summary>
public class Cv2GoldenTests
{
    private static readonly Dictionary<string, SafeTensorEntry> Golden =
        SafeTensors.ReadRaw(Path.Combine(AppContext.BaseDirectory, "golden", "vision_cv2.safetensors")).entries;

    [Theory]
    [InlineData("messi", VisionTestData.Messi)]
    [InlineData("astronaut", VisionTestData.Astronaut)]
    public void HaarBoxesEqualCv2DetectMultiScale(string name, string photo)
    {
        var expected = Golden[$"{name}_haar"];
        var want = expected.ToInt32();
        using var haar = new HaarFaceDetector(); // defaults = detectMultiScale(gray, 1.1, 5, minSize=(30, 30))
        var got = haar.Detect(VisionTestData.Load(photo)).Faces;
        Assert.Equal(expected.Shape[0], got.Count);
        for (var i = 0; i < got.Count; i++)
            Assert.Equal((want[4 * i], want[4 * i + 1], want[4 * i + 2], want[4 * i + 3]), (got[i].X, got[i].Y, got[i].Width, got[i].Height));
    }

    [Fact]
    public void DecodedJpegPatchEqualsCv2()
    {
        var messi = VisionTestData.Load(VisionTestData.Messi);
        Assert.Equal(Golden["messi_rgb_patch"].Data, messi.Crop(200, 100, 32, 32).Pixels);
    }

    [Fact]
    public void GrayResizeAndWarpEqualCv2()
    {
        var astronaut = VisionTestData.Load(VisionTestData.Astronaut);
        var area64 = astronaut.ToGray().Resize(64, 64, ResizeMode.Area);
        Assert.Equal(Golden["astronaut_gray_area64"].Data, area64.Pixels);
        Assert.Equal(Golden["astronaut_rgb_linear_48x40"].Data, astronaut.Resize(48, 40, ResizeMode.Bilinear).Pixels);
        var m = Golden["rotation_matrix"].ToFloat64();
        Assert.Equal(Golden["astronaut_area64_rot20"].Data, area64.WarpAffine(m, 64, 64).Pixels);
    }
}
