namespace AverLab.Media.Native;

/// <summary>An error raised inside OpenCV (through OpenCvSharp4) or native/vision's dlib HOG detector (carried
/// across the C ABI as a message instead of crashing the process). Bad media files surface as <see cref="MediaFormatException"/> instead.</summary>
public sealed class VisionException(string message) : Exception(message);
