using AverLab.Media.Video;

namespace AverLab.Media.Faces;

/// <summary>Faces of a video: frames sampled at a rate through <see cref="VideoFrameReader"/>, each through a
/// <see cref="FaceExtractor"/>. Streamed: a frame is decoded (the system's FFmpeg) when the consumer asks for it.</summary>
public static class VideoFaces
{
    /// <summary>Every sampled frame with its extraction; frames without a face are kept (Found false) so the caller
    /// sees the gaps and applies its own policy.</summary>
    public static IEnumerable<(VideoFrame Frame, FaceExtraction Face)> Extract(string path, FaceExtractor extractor, double fps = 4, int? width = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        foreach (var frame in VideoFrameReader.ReadAtFps(path, fps, width))
            yield return (frame, extractor.Extract(frame.Image));
    }
}
