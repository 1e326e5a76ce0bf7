using AverLab.Training.Configuration;

namespace AverLab.Training.Callbacks;

/// <summary>Improvement test shared by the monitoring callbacks: better by more than min_delta in the mode's direction.</summary>
public readonly record struct MetricMonitor(string Metric, MonitorMode Mode, double MinDelta = 0)
{
    public bool IsImprovement(double value, double best)
    {
        if (!double.IsFinite(value)) return false;
        if (double.IsNaN(best)) return true;
        return Mode == MonitorMode.Max ? value > best + MinDelta : value < best - MinDelta;
    }

    public override string ToString() => $"{Metric} ({Mode.ToString().ToLowerInvariant()})";
}
