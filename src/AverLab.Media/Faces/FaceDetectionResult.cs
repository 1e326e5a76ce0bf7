namespace AverLab.Media.Faces;

/// <summary>The outcome of running a face detector on one image. "No face" is a normal result
/// (<see cref="Found"/> false), not an exception, so callers pick a policy: skip the frame, reuse the previous
/// box, fall back to the whole frame, or drop the clip.</summary>
public sealed class FaceDetectionResult
{
    public static readonly FaceDetectionResult NoFace = new([]);

    public FaceDetectionResult(IReadOnlyList<FaceBox> faces)
    {
        Faces = faces;
        Largest = ChooseLargest(faces);
    }

    /// <summary>Every face found, in the detector's order.</summary>
    public IReadOnlyList<FaceBox> Faces { get; }

    public bool Found => Faces.Count > 0;

    /// <summary>The face with the largest area (ties: higher score, then earlier), or null when none.</summary>
    public FaceBox? Largest { get; }

    public static FaceBox? ChooseLargest(IReadOnlyList<FaceBox> faces)
    {
        FaceBox? best = null;
        foreach (var f in faces)
            if (best is not { } b || f.Area > b.Area || f.Area == b.Area && f.Score > b.Score) best = f;
        return best;
    }
}
