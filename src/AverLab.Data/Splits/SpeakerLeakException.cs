namespace AverLab.Data.Splits;

/// <summary>A speaker-independent split has a speaker on both its training and evaluation sides.</summary>
public sealed class SpeakerLeakException(string protocol, IReadOnlyList<string> speakers)
    : Exception($"split '{protocol}' leaks {speakers.Count} speaker(s) between train and validation/test: " +
                string.Join(", ", speakers.Take(10)) + (speakers.Count > 10 ? ", ..." : ""))
{
    public IReadOnlyList<string> Speakers { get; } = speakers;
}
