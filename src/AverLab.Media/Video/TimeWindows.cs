namespace AverLab.Media.Video;

/// <summary>Splits a duration into fixed windows (e.g. 4 s clips of a long video, as the audio-visual seeds do).</summary>
public static class TimeWindows
{
    /// <summary>Windows of <paramref name="window"/> seconds starting every <paramref name="hop"/> seconds
    /// (default: the window, i.e. no overlap), over [0, duration).</summary>
    public static IReadOnlyList<TimeWindow> Split(double duration, double window, double? hop = null,
        LastWindowPolicy last = LastWindowPolicy.Drop)
    {
        var step = hop ?? window;
        if (!(window > 0) || double.IsInfinity(window)) throw new ArgumentOutOfRangeException(nameof(window), window, "window must be a positive number of seconds");
        if (!(step > 0) || double.IsInfinity(step)) throw new ArgumentOutOfRangeException(nameof(hop), step, "hop must be a positive number of seconds");
        if (!(duration >= 0) || double.IsInfinity(duration)) throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must be finite and non-negative");
        const double eps = 1e-9; // 12.0 s split into 4 s windows must give 3, whatever the float rounding
        var windows = new List<TimeWindow>();
        var k = 0;
        for (; k * step + window <= duration + eps; k++) windows.Add(new TimeWindow(k * step, k * step + window));
        var coveredTo = windows.Count == 0 ? 0 : windows[^1].End;
        var nextStart = k * step;
        if (duration - coveredTo > eps || windows.Count == 0 && duration > 0)
        {
            switch (last)
            {
                case LastWindowPolicy.KeepShort when nextStart < duration - eps:
                    windows.Add(new TimeWindow(nextStart, duration));
                    break;
                case LastWindowPolicy.AlignToEnd:
                    windows.Add(duration >= window ? new TimeWindow(duration - window, duration) : new TimeWindow(0, window));
                    break;
            }
        }
        return windows;
    }
}
