namespace AverLab.Training.Metrics;

/// <summary>A two-sided interval, e.g. a 95% percentile-bootstrap interval.</summary>
public readonly record struct ConfidenceInterval(double Lower, double Upper, double Level)
{
    public override string ToString() => $"[{Lower:F4}, {Upper:F4}] ({Level:P0})";
}
