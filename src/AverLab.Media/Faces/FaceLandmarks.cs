namespace AverLab.Media.Faces;

/// <summary>Landmarks of one face from <see cref="FaceLandmarker"/>: for the 68-point model, iBUG 300-W order
/// (0-16 jaw, 17-21 and 22-26 brows, 27-35 nose, 36-41 and 42-47 eyes, 48-67 mouth), in image pixels.</summary>
public sealed class FaceLandmarks
{
    public FaceLandmarks(FaceBox box, LandmarkPoint[] points)
    {
        Box = box;
        Points = points;
    }

    /// <summary>The face box the landmarks were predicted in.</summary>
    public FaceBox Box { get; }

    public LandmarkPoint[] Points { get; }

    public int Count => Points.Length;

    /// <summary>Centre of the eye on the image's left (the subject's right eye, points 36-41).</summary>
    public LandmarkPoint ImageLeftEye => Mean(36, 42);

    /// <summary>Centre of the eye on the image's right (the subject's left eye, points 42-47).</summary>
    public LandmarkPoint ImageRightEye => Mean(42, 48);

    /// <summary>Points as a flat (x0, y0, x1, y1, ...) array, e.g. a 136-value feature vector.</summary>
    public float[] ToFlatArray()
    {
        var flat = new float[Points.Length * 2];
        for (var i = 0; i < Points.Length; i++)
        {
            flat[2 * i] = Points[i].X;
            flat[2 * i + 1] = Points[i].Y;
        }
        return flat;
    }

    private LandmarkPoint Mean(int from, int to)
    {
        if (Points.Length < to) throw new InvalidOperationException($"eye centres need the 68-point layout; this shape has {Points.Length} points");
        float x = 0, y = 0;
        for (var i = from; i < to; i++)
        {
            x += Points[i].X;
            y += Points[i].Y;
        }
        return new LandmarkPoint(x / (to - from), y / (to - from));
    }
}
