using AverLab.Media.Faces;
using AverLab.Media.Images;

namespace AverLab.Media.Tests.Faces;

public class FaceLandmarkTests(FaceModels models) : IClassFixture<FaceModels>
{
    [Theory]
    [InlineData(VisionTestData.Messi)]
    [InlineData(VisionTestData.Astronaut)]
    public void All68LandmarksLieInsideTheFaceBox(string photo)
    {
        var gray = VisionTestData.Load(photo).ToGray();
        var box = models.Hog.Detect(gray).Largest!.Value;
        var lm = models.Landmarker.Detect(gray, box);
        Assert.Equal(68, lm.Count);
        var expanded = box.Expand(0.15);
        Assert.All(lm.Points, p => Assert.True(expanded.Contains(p.X, p.Y), $"landmark {p} is outside {expanded}"));
        // Anatomy: eyes above the nose tip above the mouth, image-left eye left of the other.
        var nose = lm.Points[30];
        var mouth = lm.Points[62];
        Assert.True(lm.ImageLeftEye.X < lm.ImageRightEye.X);
        Assert.True(lm.ImageLeftEye.Y < nose.Y && lm.ImageRightEye.Y < nose.Y && nose.Y < mouth.Y);
        Assert.Equal(136, lm.ToFlatArray().Length);
    }

    [Fact]
    public void SharedModelIsLoadedOnceAndSafeAcrossThreads()
    {
        Assert.Same(FaceLandmarker.Shared, FaceLandmarker.Shared);
        var gray = VisionTestData.Load(VisionTestData.Astronaut).ToGray();
        var box = models.Hog.Detect(gray).Largest!.Value;
        var expected = FaceLandmarker.Shared.Detect(gray, box).ToFlatArray();
        var results = new float[8][];
        Parallel.For(0, 8, i => results[i] = FaceLandmarker.Shared.Detect(gray, box).ToFlatArray());
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void BadModelFileIsAnErrorNamingTheFileNotACrash()
    {
        using var dir = new VisionTestData.TempDir();
        var path = dir.File("model.dat");
        File.WriteAllText(path, "not a dlib model");
        var e = Assert.Throws<MediaFormatException>(() => new FaceLandmarker(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("dlib", e.Message);
        Assert.Throws<MediaFormatException>(() => new FaceLandmarker(dir.File("none.dat")));
    }

    [Fact]
    public void TruncatedOrCompressedModelIsAnErrorNamingTheFile()
    {
        using var dir = new VisionTestData.TempDir();
        // The real model cut after its first megabyte: a valid start that ends mid-tree.
        var cut = dir.File("cut.dat");
        using (var src = File.OpenRead(models.Landmarker.ModelPath))
        using (var dst = File.Create(cut))
        {
            var head = new byte[1 << 20];
            src.ReadExactly(head);
            dst.Write(head);
        }
        var e = Assert.Throws<MediaFormatException>(() => new FaceLandmarker(cut));
        Assert.Equal(cut, e.Path);
        Assert.Contains("ends early", e.Message);

        var bz = dir.File("model.dat");
        File.WriteAllBytes(bz, [(byte)'B', (byte)'Z', (byte)'h', (byte)'9', 1, 2, 3]);
        e = Assert.Throws<MediaFormatException>(() => new FaceLandmarker(bz));
        Assert.Equal(bz, e.Path);
        Assert.Contains("bzip2", e.Message);
    }

    [Fact]
    public void AlignmentLevelsTheEyesOfATiltedFace()
    {
        // Rotate the astronaut by 20 degrees, find the face again, align: the eyes must come out level and where asked.
        var img = VisionTestData.Load(VisionTestData.Astronaut);
        double angle = 20 * Math.PI / 180, c = Math.Cos(angle), s = Math.Sin(angle), cx = 256, cy = 256;
        var tilted = img.WarpAffine([c, s, (1 - c) * cx - s * cy, -s, c, s * cx + (1 - c) * cy], 512, 512, border: BorderMode.Replicate);
        var gray = tilted.ToGray();
        var box = models.Hog.Detect(gray).Largest ?? throw new Xunit.Sdk.XunitException("no face in the tilted photo");
        var lm = models.Landmarker.Detect(gray, box);
        var tilt = Math.Atan2(lm.ImageRightEye.Y - lm.ImageLeftEye.Y, lm.ImageRightEye.X - lm.ImageLeftEye.X) * 180 / Math.PI;
        Assert.True(Math.Abs(tilt) > 10, $"the eyes should be tilted before alignment, got {tilt:F1} degrees");

        var aligner = new FaceAligner { Size = 256 };
        var m = aligner.Matrix(lm);
        var left = FaceAligner.Transform(m, lm.ImageLeftEye);
        var right = FaceAligner.Transform(m, lm.ImageRightEye);
        Assert.Equal(0.35 * 256, left.X, 1e-3);
        Assert.Equal(0.65 * 256, right.X, 1e-3);
        Assert.Equal(0.35 * 256, left.Y, 1e-3);
        Assert.Equal(0.35 * 256, right.Y, 1e-3);

        // Independent check on the pixels: landmarks predicted again on the aligned face have level eyes.
        var aligned = aligner.Align(gray, lm);
        Assert.Equal((256, 256), (aligned.Width, aligned.Height));
        var again = models.Hog.Detect(aligned).Largest ?? new FaceBox(32, 32, 192, 192);
        var lm2 = models.Landmarker.Detect(aligned, again);
        var tilt2 = Math.Atan2(lm2.ImageRightEye.Y - lm2.ImageLeftEye.Y, lm2.ImageRightEye.X - lm2.ImageLeftEye.X) * 180 / Math.PI;
        Assert.InRange(tilt2, -3, 3);
        Assert.Equal(0.35 * 256, lm2.ImageLeftEye.Y, 6.0);

        var small = new FaceAligner { Size = 48 }.Align(tilted, lm);
        Assert.Equal((48, 48), (small.Width, small.Height));
    }
}

public class LandmarkModelPathTests
{
    [Fact]
    public void CompressedModelIsDecompressedOnceIntoTheCache()
    {
        using var dir = new VisionTestData.TempDir();
        var dat = dir.File("model.dat");
        var content = new byte[10000];
        new Random(3).NextBytes(content);
        File.WriteAllBytes(dat, content);
        Ffmpeg.Run("bzip2", ["-z", dat], dat); // leaves model.dat.bz2 only
        Assert.False(File.Exists(dat));
        var cache = dir.File("cache");
        var resolved = FaceLandmarker.ResolveModel(dat, cache);
        Assert.Equal(Path.Combine(cache, "model.dat"), resolved);
        Assert.Equal(content, File.ReadAllBytes(resolved));
        Assert.Equal(resolved, FaceLandmarker.ResolveModel(dat, cache));
        Assert.Single(Directory.GetFiles(cache)); // no temporary file left behind
    }

    [Fact]
    public void PlainModelIsUsedInPlaceAndAbsentModelNamesThePath()
    {
        using var dir = new VisionTestData.TempDir();
        var dat = dir.File("m.dat");
        File.WriteAllText(dat, "x");
        Assert.Equal(dat, FaceLandmarker.ResolveModel(dat, dir.File("cache")));
        var e = Assert.Throws<MediaFormatException>(() => FaceLandmarker.ResolveModel(dir.File("none.dat"), dir.File("cache")));
        Assert.Contains("libdlib-data", e.Message);
    }
}
