using AverLab.Media.Faces;
using AverLab.Media.Images;

namespace AverLab.Media.Tests.Faces;

public class SquareCropTests(FaceModels models) : IClassFixture<FaceModels>
{
    [Fact]
    public void RegionIsASquareWithMarginCentredOnTheBox()
    {
        var (x, y, side) = SquareCrop.Region(new FaceBox(100, 50, 40, 60), 0.25, 640, 480, CropBorder.Pad);
        Assert.Equal(90, side);            // 60 * 1.5
        Assert.Equal((75, 35), (x, y));    // centre (120, 80)
    }

    [Fact]
    public void ClampKeepsTheSquareInsideAndPadKeepsItCentred()
    {
        var corner = new FaceBox(0, 0, 40, 40);
        var clamp = SquareCrop.Region(corner, 0.5, 100, 60, CropBorder.Clamp);
        Assert.Equal((0, 0, 60), clamp);   // 80 shrunk to the image's 60 and shifted in
        var pad = SquareCrop.Region(corner, 0.5, 100, 60, CropBorder.Pad);
        Assert.Equal((-20, -20, 80), pad);

        var white = new GrayImage(100, 60, Enumerable.Repeat((byte)255, 6000).ToArray());
        var padded = SquareCrop.Around(white, corner, size: 80, margin: 0.5, border: CropBorder.Pad);
        Assert.Equal(0, padded[0, 0]);       // outside the photo: black
        Assert.Equal(255, padded[40, 40]);
        var clamped = SquareCrop.Around(white, corner, size: 80, margin: 0.5, border: CropBorder.Clamp);
        Assert.All(clamped.Pixels, p => Assert.Equal(255, p));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(48)]
    public void ExtractorGivesGrayFaceCropsOfTheAskedSize(int size)
    {
        var photo = VisionTestData.Load(VisionTestData.Messi);
        var r = new FaceExtractor(models.Haar) { Size = size }.Extract(photo);
        Assert.True(r.Found);
        Assert.Equal((size, size), (r.Face!.Width, r.Face.Height));
        // A face crop has contrast (eyes, mouth), unlike a blank region.
        var px = r.Face.Pixels;
        Assert.True(px.Max() - px.Min() > 60);

        Assert.Null(r.ColorFace);

        var aligned = new FaceExtractor(models.Hog) { Size = size, Landmarker = models.Landmarker, KeepColor = true }.Extract(photo);
        Assert.True(aligned.Found);
        Assert.Equal((size, size), (aligned.Face!.Width, aligned.Face.Height));
        // The colour crop is the same face: its gray conversion is within rounding of the gray crop.
        var fromColor = aligned.ColorFace!.ToGray().Pixels;
        Assert.True(fromColor.Zip(aligned.Face.Pixels, (a, b) => Math.Abs(a - b)).Average() < 2.0);
    }
}
