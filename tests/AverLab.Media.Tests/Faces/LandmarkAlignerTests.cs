using AverLab.Media.Faces;
using AverLab.Media.Images;

namespace AverLab.Media.Tests.Faces;

public class LandmarkAlignerTests(FaceModels models) : IClassFixture<FaceModels>
{
    private static LandmarkPoint[] Template()
    {
        // 68 points on a fixed irregular pattern (two spirals), so no point set is symmetric by accident.
        return Enumerable.Range(0, 68).Select(i => new LandmarkPoint(
            (float)(0.5 + 0.4 * (i / 68.0) * Math.Cos(i * 0.7)), (float)(0.5 + 0.35 * (i / 68.0) * Math.Sin(i * 0.9) + 0.01 * (i % 5)))).ToArray();
    }

    [Fact]
    public void RotatedScaledShiftedCopyOfTheTemplateMapsBackExactly()
    {
        var template = Template();
        // Known answer: scale 180, rotation 25°, shift (320, 140), as a face in a 640x480 frame.
        double s = 180, theta = 25 * Math.PI / 180;
        var known = new SimilarityTransform(s * Math.Cos(theta), s * Math.Sin(theta), 320, 140);
        var face = template.Select(known.Apply).ToArray();

        var back = SimilarityTransform.Estimate(face, template);
        Assert.Equal(1 / s, back.Scale, 7);   // float points: ~1e-7 relative
        Assert.Equal(-theta, back.Angle, 6);
        for (var i = 0; i < 68; i++)
        {
            var p = back.Apply(face[i]);
            Assert.Equal(template[i].X, p.X, 4);
            Assert.Equal(template[i].Y, p.Y, 4);
        }
        var forward = SimilarityTransform.Estimate(template, face);
        Assert.Equal(known.A, forward.A, 4);
        Assert.Equal(known.B, forward.B, 4);
        Assert.Equal(known.Tx, forward.Tx, 3);
        Assert.Equal(known.Ty, forward.Ty, 3);
        // The normalised coordinates of the transformed face are the template itself.
        var normalized = new LandmarkAligner(template).Normalized(face);
        for (var i = 0; i < 68; i++)
        {
            Assert.Equal(template[i].X, normalized[2 * i], 4);
            Assert.Equal(template[i].Y, normalized[2 * i + 1], 4);
        }
    }

    [Fact]
    public void EstimateIsTheLeastSquaresSolutionAndRefusesDegenerateInput()
    {
        // A reflected copy has no exact similarity; the least-squares answer of (x, y) → (x, −y) about the centroid
        // for a symmetric square is the zero map (A = B = 0): Umeyama's closed form, not a reflection.
        LandmarkPoint[] square = [new(0, 0), new(1, 0), new(1, 1), new(0, 1)];
        var mirrored = square.Select(p => new LandmarkPoint(p.X, 1 - p.Y)).ToArray();
        var t = SimilarityTransform.Estimate(square, mirrored);
        Assert.Equal(0, t.A, 12);
        Assert.Equal(0, t.B, 12);
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate([new(1, 1), new(1, 1)], [new(0, 0), new(1, 1)]));
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate(square, square[..3]));
    }

    [Fact]
    public void TemplateToCropPutsTheUnitBoxInsideTheMargin()
    {
        var t = LandmarkAligner.TemplateToCrop(64, 0.2);
        var (x0, y0) = t.Apply(0, 0);
        var (x1, y1) = t.Apply(1, 1);
        Assert.Equal(64 * 0.2 / 1.4, x0, 9);
        Assert.Equal(64 - 64 * 0.2 / 1.4, x1, 9);
        Assert.Equal(x0, y0, 9);
        Assert.Equal(x1, y1, 9);
    }

    [Fact]
    public void AlignedCropUndoesAnInPlaneRotationOfARealFace()
    {
        var photo = VisionTestData.Load(VisionTestData.Astronaut);
        var aligner = new LandmarkAligner(models.Landmarker.MeanShape());
        Assert.Equal(68, aligner.Template.Count);
        // The same photo rotated by 20° about the face (cv2.getRotationMatrix2D layout, scale 1).
        var gray = photo.ToGray();
        var box = models.Hog.Detect(gray).Largest!.Value;
        double a = Math.Cos(20 * Math.PI / 180), b = Math.Sin(20 * Math.PI / 180), cx = box.CenterX, cy = box.CenterY;
        double[] m = [a, b, (1 - a) * cx - b * cy, -b, a, b * cx + (1 - a) * cy];
        var rotated = gray.WarpAffine(m, gray.Width, gray.Height);
        var rotatedBox = models.Hog.Detect(rotated).Largest!.Value;

        var p0 = models.Landmarker.Detect(gray, box).Points;
        var p1 = models.Landmarker.Detect(rotated, rotatedBox).Points;
        var crop0 = aligner.Crop(gray, p0, 64, 0.2);
        var crop1 = aligner.Crop(rotated, p1, 64, 0.2);
        var boxCrop0 = SquareCrop.Around(gray, box, 64);
        var boxCrop1 = SquareCrop.Around(rotated, rotatedBox, 64);
        double Diff(GrayImage x, GrayImage y) => x.Pixels.Zip(y.Pixels, (u, v) => Math.Abs(u - v)).Average();
        var aligned = Diff(crop0, crop1);
        var boxed = Diff(boxCrop0, boxCrop1);
        // The box crops differ by the rotation; the aligned ones nearly agree (landmark noise only).
        Assert.True(aligned < 0.5 * boxed, $"aligned crops differ by {aligned:F1} grey levels, box crops by {boxed:F1}");
        // The estimated rotations differ by the 20° applied (the photo's frame is turned clockwise on screen).
        var r0 = aligner.ToTemplate(p0).Angle;
        var r1 = aligner.ToTemplate(p1).Angle;
        Assert.Equal(20, (r1 - r0) * 180 / Math.PI, 0);
        // The eyes land where the template's eyes are in the crop, within 1.5 pixels.
        var toCrop = aligner.ToCrop(p1, 64, 0.2);
        var templateCrop = LandmarkAligner.TemplateToCrop(64, 0.2);
        foreach (var i in new[] { 36, 39, 42, 45 })
        {
            var got = toCrop.Apply(p1[i]);
            var (ex, ey) = templateCrop.Apply(aligner.Template[i].X, aligner.Template[i].Y);
            Assert.True(Math.Abs(got.X - ex) < 1.5 && Math.Abs(got.Y - ey) < 1.5, $"eye point {i} at ({got.X:F1}, {got.Y:F1}), template ({ex:F1}, {ey:F1})");
        }
    }
}
