namespace AverLab.Media.Faces;

/// <summary>A landmark position in image pixels.</summary>
public readonly record struct LandmarkPoint(float X, float Y);
