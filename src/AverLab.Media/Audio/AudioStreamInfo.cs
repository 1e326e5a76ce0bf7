namespace AverLab.Media.Audio;

/// <summary>The first audio stream of a media file as ffprobe reports it. Duration is null when the container
/// does not state one.</summary>
public sealed record AudioStreamInfo(int SampleRate, int Channels, string Codec, double? Duration);
