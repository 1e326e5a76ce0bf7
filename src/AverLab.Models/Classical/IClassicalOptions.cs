namespace AverLab.Models.Classical;

/// <summary>Options every classical model has: the class count and the feature vector's width (both filled from the
/// data by the runner).</summary>
public interface IClassicalOptions
{
    int NumClasses { get; set; }
    int InputSize { get; set; }
}
