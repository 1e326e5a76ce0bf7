namespace AverLab.Media.Faces;

/// <summary>A detected face: pixel rectangle (x, y, width, height) in the image it was found in, and the
/// detector's confidence (dlib's HOG score; NaN for the Haar cascade, which gives none).</summary>
public readonly record struct FaceBox(int X, int Y, int Width, int Height, double Score = double.NaN)
{
    public long Area => (long)Width * Height;
    public double CenterX => X + Width / 2.0;
    public double CenterY => Y + Height / 2.0;
    public int Right => X + Width;
    public int Bottom => Y + Height;

    /// <summary>The box grown by <paramref name="fraction"/> of its size on every side (0.1 = 10%).</summary>
    public FaceBox Expand(double fraction)
    {
        var dx = (int)Math.Round(Width * fraction);
        var dy = (int)Math.Round(Height * fraction);
        return this with { X = X - dx, Y = Y - dy, Width = Width + 2 * dx, Height = Height + 2 * dy };
    }

    public bool Contains(double x, double y) => x >= X && y >= Y && x <= Right && y <= Bottom;
}
