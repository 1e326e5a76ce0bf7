namespace AverLab.Media.Video;

/// <summary>Which decoded frames ffmpeg's <c>fps</c> filter keeps (its defaults: <c>round=near</c>,
/// <c>eof_action=round</c>, no start time), as a state machine over frame timestamps. Each input timestamp t maps to
/// the output tick round(t · fps) (halves away from zero); output tick k shows the last input frame whose tick is at
/// most k, so frames are dropped or repeated to make a constant rate. The first tick is the first frame's; the last
/// one before the stream's end tick.</summary>
internal sealed class FpsSampler
{
    private readonly double fps;
    private long next;
    private bool started;

    public FpsSampler(double fps)
    {
        if (!(fps > 0) || double.IsInfinity(fps)) throw new ArgumentOutOfRangeException(nameof(fps), fps, "fps must be positive");
        this.fps = fps;
    }

    /// <summary>A new frame at <paramref name="seconds"/> arrived: returns how many times the frame held before it
    /// is output (0 when the new one replaces it unseen). The new frame is held next.</summary>
    public long Push(double seconds)
    {
        var tick = Tick(seconds);
        if (!started)
        {
            started = true;
            next = tick;
            return 0;
        }
        return Advance(tick);
    }

    /// <summary>The stream ended at <paramref name="endSeconds"/> (the last frame's time plus its duration): returns
    /// how many times the held frame is output.</summary>
    public long Finish(double endSeconds) => started ? Advance(Tick(endSeconds)) : 0;

    /// <summary>Whether the held frame would be output if the next frame came at <paramref name="nextSeconds"/>
    /// (or the stream ended there).</summary>
    public bool WouldOutput(double nextSeconds) => started && Tick(nextSeconds) > next;

    private long Advance(long tick)
    {
        var n = Math.Max(0, tick - next);
        next += n;
        return n;
    }

    // av_rescale_q_rnd(.., AV_ROUND_NEAR_INF) on exact rationals; the timestamps here are doubles (pts · time_base),
    // so a product within 1e-9 of a half is taken as the exact half it stands for.
    private long Tick(double seconds) => (long)Math.Floor(seconds * fps + 0.5 + 1e-9);
}
