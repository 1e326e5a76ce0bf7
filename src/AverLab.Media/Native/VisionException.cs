namespace AverLab.Media.Native;

/// <summary>An error raised inside native/vision (OpenCV or dlib), carried across the C ABI as a message instead
/// of crashing the process. Bad media files surface as <see cref="MediaFormatException"/> instead.</summary>
public sealed class VisionException(string message) : Exception(message);
