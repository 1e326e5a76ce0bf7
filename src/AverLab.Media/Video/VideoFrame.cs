using AverLab.Media.Images;

namespace AverLab.Media.Video;

/// <summary>A decoded frame: its position in the sequence read, its time in seconds from the stream start, and its pixels.</summary>
public sealed record VideoFrame(int Index, double Timestamp, RgbImage Image);
