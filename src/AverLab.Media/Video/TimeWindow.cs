namespace AverLab.Media.Video;

/// <summary>A span of media time in seconds, [Start, End).</summary>
public readonly record struct TimeWindow(double Start, double End)
{
    public double Duration => End - Start;
}
