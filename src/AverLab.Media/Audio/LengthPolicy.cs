namespace AverLab.Media.Audio;

/// <summary>How <see cref="AudioLoader"/> fits a clip to <see cref="AudioLoadOptions.TargetLength"/> samples.</summary>
public enum LengthPolicy
{
    /// <summary>Leave the length alone.</summary>
    None,

    /// <summary>Keep the first N samples; zero-pad at the end when shorter (librosa.util.fix_length).</summary>
    PadEnd,

    /// <summary>Keep the last N samples; when shorter, pad on the left with the clip's mean.</summary>
    KeepLastPadMean,

    /// <summary>Crop the centre N samples, or zero-pad equally on both sides (the extra sample goes to the end).</summary>
    Centre,
}
