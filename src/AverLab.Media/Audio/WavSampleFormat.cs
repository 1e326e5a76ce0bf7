namespace AverLab.Media.Audio;

/// <summary>Sample encodings the WAV writer produces.</summary>
public enum WavSampleFormat { Pcm16, Pcm24, Pcm32, Float32 }
