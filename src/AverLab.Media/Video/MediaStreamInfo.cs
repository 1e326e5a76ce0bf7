namespace AverLab.Media.Video;

/// <summary>One stream of a container as ffprobe reports it. Video fields are 0 for audio streams and vice versa.</summary>
/// <param name="Index">The stream's index in the container.</param>
/// <param name="CodecType">"video", "audio", "subtitle", "data", ...</param>
/// <param name="CodecName">e.g. "h264", "aac", "pcm_s16le".</param>
/// <param name="Duration">Seconds, or NaN when the container does not say.</param>
/// <param name="FrameRate">Average frames per second (avg_frame_rate, falling back to r_frame_rate).</param>
/// <param name="FrameCount">nb_frames from the container header, or 0 when absent.</param>
public sealed record MediaStreamInfo(
    int Index,
    string CodecType,
    string CodecName,
    double Duration,
    int Width,
    int Height,
    double FrameRate,
    long FrameCount,
    int SampleRate,
    int Channels);
