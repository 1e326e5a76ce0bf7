using AverLab.Media.Faces;
using AverLab.Media.Images;
using AverLab.Tests.Support;

namespace AverLab.Media.Tests.Faces;

public class FaceDetectionTests(FaceModels models) : IClassFixture<FaceModels>
{
    // Where the faces are, by eye (pixel boxes x0, y0, x1, y1 that the face centre must fall in).
    public static TheoryData<string, int, int, int, int> Photos => new()
    {
        { VisionTestData.Messi, 180, 40, 260, 120 },
        { VisionTestData.Astronaut, 170, 60, 260, 170 },
    };

    [Theory]
    [MemberData(nameof(Photos))]
    public void BothDetectorsFindTheSameFaceInARealPhoto(string photo, int x0, int y0, int x1, int y1)
    {
        var gray = VisionTestData.Load(photo).ToGray();
        var haar = models.Haar.Detect(gray);
        var hog = models.Hog.Detect(gray);
        Assert.True(haar.Found, $"Haar found no face in {photo}");
        Assert.True(hog.Found, $"HOG found no face in {photo}");
        var a = haar.Largest!.Value;
        var b = hog.Largest!.Value;
        Assert.True(a.CenterX >= x0 && a.CenterX <= x1 && a.CenterY >= y0 && a.CenterY <= y1, $"Haar face {a} is not where the face is");
        Assert.True(b.CenterX >= x0 && b.CenterX <= x1 && b.CenterY >= y0 && b.CenterY <= y1, $"HOG face {b} is not where the face is");
        Assert.True(FaceModels.IoU(a, b) > 0.3, $"the detectors disagree: Haar {a}, HOG {b}");
        Assert.True(double.IsNaN(a.Score));
        Assert.True(b.Score > 0);
    }

    /// <summary>Images past <see cref="HaarFaceDetector.MaxSide"/> are searched on a scaled copy: OpenCV's
    /// detectMultiScale wrote out of bounds on extreme sizes (this loop of random images up to 70000 x 200 crashed the
    /// process within ~80 images before), and a face in a large photo is still found where it is.</summary>
    [Fact]
    [Trait("Category", Category.Slow)]
    public void ExtremeImageSizesDoNotCrashAndLargePhotosKeepTheirFaces()
    {
        var r = new Random(3);
        for (var i = 0; i < 120; i++)
        {
            var small = r.Next(4) == 0;
            var (w, h) = small ? (r.Next(30, 400), r.Next(30, 400)) : (r.Next(30, 70000), r.Next(30, 200));
            if (r.Next(2) == 0) (w, h) = (h, w);
            var px = new byte[w * h];
            r.NextBytes(px);
            models.Haar.Detect(new GrayImage(w, h, px));
        }
        var gray = VisionTestData.Load(VisionTestData.Messi).ToGray();
        var reference = models.Haar.Detect(gray).Largest!.Value;
        var large = gray.Resize(gray.Width * 10, gray.Height * 10, ResizeMode.Bilinear);   // 5480 x 3420: searched at 4096
        var found = models.Haar.Detect(large).Faces;
        // The scaled search sees the photo at 7.5x, not 1x: other windows may fire too; the face must be among them.
        Assert.Contains(found, f => Math.Abs(f.CenterX - reference.CenterX * 10) < 60 && Math.Abs(f.CenterY - reference.CenterY * 10) < 60
            && f.Width > reference.Width * 10 * 0.7 && f.Width < reference.Width * 10 * 1.3);
    }

    public static TheoryData<string> NoFaceImages => new() { "gradient", VisionTestData.Fruits };

    [Theory]
    [MemberData(nameof(NoFaceImages))]
    public void NoFaceIsAResultNotAnException(string source)
    {
        GrayImage gray;
        if (source == "gradient")
        {
            gray = new GrayImage(320, 240);
            for (var y = 0; y < 240; y++)
                for (var x = 0; x < 320; x++) gray[x, y] = (byte)((x + y) * 255 / (320 + 240));
        }
        else gray = VisionTestData.Load(source).ToGray();
        foreach (var detector in new IFaceDetector[] { models.Haar, models.Hog })
        {
            var r = detector.Detect(gray);
            Assert.False(r.Found, $"{detector.GetType().Name} found {string.Join(", ", r.Faces)} in {source}");
            Assert.Null(r.Largest);
            Assert.Empty(r.Faces);
        }
        var extraction = new FaceExtractor(models.Hog).Extract(gray);
        Assert.False(extraction.Found);
        Assert.Null(extraction.Face);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 10)]
    [InlineData(23, 40)]
    public void ImagesSmallerThanTheDetectorWindowHaveNoFace(int width, int height)
    {
        var tiny = new GrayImage(width, height);
        Assert.False(models.Haar.Detect(tiny).Found);
        Assert.False(models.Hog.Detect(tiny).Found);
    }

    [Fact]
    public void ConcurrentCallsOnOneDetectorAgreeWithSerialOnes()
    {
        var gray = VisionTestData.Load(VisionTestData.Messi).ToGray();
        var serial = (models.Haar.Detect(gray).Largest, models.Hog.Detect(gray).Largest);
        var parallel = new (FaceBox?, FaceBox?)[6];
        Parallel.For(0, parallel.Length, i => parallel[i] = (models.Haar.Detect(gray).Largest, models.Hog.Detect(gray).Largest));
        Assert.All(parallel, p => Assert.Equal(serial, p));
    }

    [Fact]
    public void UseAfterDisposeIsAnExceptionNotACrash()
    {
        var haar = new HaarFaceDetector();
        var hog = new HogFaceDetector();
        haar.Dispose();
        hog.Dispose();
        hog.Dispose(); // twice is fine
        Assert.Throws<ObjectDisposedException>(() => haar.Detect(new GrayImage(64, 64)));
        Assert.Throws<ObjectDisposedException>(() => hog.Detect(new GrayImage(64, 64)));
    }

    [Fact]
    public void LargestFaceIsChosenByArea()
    {
        var faces = new FaceBox[] { new(0, 0, 10, 10, 2.0), new(5, 5, 30, 20, 0.1), new(50, 50, 20, 30, 0.5) };
        Assert.Equal(faces[2], FaceDetectionResult.ChooseLargest(faces)); // 600 = 600: higher score wins
        Assert.Null(FaceDetectionResult.ChooseLargest([]));
    }

    [Fact]
    public void DetectorsFindSeveralFacesInAMontage()
    {
        // The astronaut twice side by side (second one smaller): two faces, the larger one chosen.
        var a = VisionTestData.Load(VisionTestData.Astronaut);
        var small = a.Resize(300, 300);
        var montage = new RgbImage(900, 512);
        for (var y = 0; y < 512; y++) Buffer.BlockCopy(a.Pixels, y * 512 * 3, montage.Pixels, y * 900 * 3, 512 * 3);
        for (var y = 0; y < 300; y++) Buffer.BlockCopy(small.Pixels, y * 300 * 3, montage.Pixels, (y * 900 + 560) * 3, 300 * 3);
        // A raised threshold drops a weak false hit (score ~0.02) on the astronaut's suit.
        using var strict = new HogFaceDetector { AdjustThreshold = 0.3 };
        var r = strict.Detect(montage.ToGray());
        Assert.All(r.Faces, f => Assert.True(f.Score > 0.3));
        Assert.True(r.Faces.Count == 2, string.Join("; ", r.Faces));
        Assert.True(r.Largest!.Value.X < 512);
    }

    [Fact]
    public void BadCascadeFileIsAnErrorNamingTheFile()
    {
        using var dir = new VisionTestData.TempDir();
        var path = dir.File("cascade.xml");
        File.WriteAllText(path, "<opencv_storage><broken>");
        var e = Assert.Throws<MediaFormatException>(() => new HaarFaceDetector(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("opencv-data", Assert.Throws<MediaFormatException>(() => new HaarFaceDetector(dir.File("none.xml"))).Message);
    }
}
