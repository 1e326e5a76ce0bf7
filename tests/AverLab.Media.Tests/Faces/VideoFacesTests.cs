using AverLab.Media.Faces;

namespace AverLab.Media.Tests.Faces;

public class VideoFacesTests(FaceModels models) : IClassFixture<FaceModels>
{
    [Fact]
    public void FacesAreFoundInEverySampledFrameOfAFaceVideoAndNoneInTestsrc()
    {
        using var dir = new VisionTestData.TempDir();
        var faceVideo = dir.File("face.mp4");
        VisionTestData.Ffmpeg("-loop", "1", "-framerate", "25", "-t", "1", "-i", VisionTestData.Astronaut,
            "-vf", "scale=320:320", "-c:v", "libx264", "-pix_fmt", "yuv420p", faceVideo);
        var extractor = new FaceExtractor(models.Hog) { Size = 48 };
        var results = VideoFaces.Extract(faceVideo, extractor, fps: 4).ToList();
        Assert.Equal(4, results.Count);
        Assert.All(results, r =>
        {
            Assert.True(r.Face.Found, $"no face at {r.Frame.Timestamp} s");
            Assert.Equal((48, 48), (r.Face.Face!.Width, r.Face.Face.Height));
        });

        var noFace = dir.File("testsrc.mp4");
        VisionTestData.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", noFace);
        var empty = VideoFaces.Extract(noFace, extractor, fps: 4).ToList();
        Assert.Equal(4, empty.Count);
        Assert.All(empty, r => Assert.False(r.Face.Found));
    }
}
