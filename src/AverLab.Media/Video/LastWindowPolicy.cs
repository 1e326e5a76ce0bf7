namespace AverLab.Media.Video;

/// <summary>What <see cref="TimeWindows.Split"/> does with a remainder shorter than a full window.</summary>
public enum LastWindowPolicy
{
    /// <summary>Drop it: every window has the full length (a clip shorter than one window gives none).</summary>
    Drop,
    /// <summary>Keep it as a shorter window ending at the duration.</summary>
    KeepShort,
    /// <summary>Add one full-length window that ends at the duration (overlapping the previous one); a clip
    /// shorter than one window gives one window starting at 0 that runs past the end (callers pad).</summary>
    AlignToEnd,
}
