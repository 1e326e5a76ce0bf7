namespace AverLab.Models.Classical;

/// <summary>Multinomial logistic regression (softmax over linear scores) with L1 + L2 penalties, fitted by L-BFGS
/// (ML.NET LbfgsMaximumEntropy): deterministic, and its scores are the softmax probabilities. Feed it standardized
/// features (features.normalize, the default).</summary>
public static class LogisticRegression
{
    internal static readonly ModelSpec Spec = ModelSpec.ForClassical<LogisticRegressionOptions>("logistic_regression",
        "multinomial logistic regression on a feature vector (ML.NET L-BFGS maximum entropy), classical baseline");
}

/// <summary>Options of <see cref="LogisticRegression"/> (model.params of logistic_regression).</summary>
public sealed class LogisticRegressionOptions : IClassicalOptions
{
    public int NumClasses { get; set; } = 8;
    /// <summary>Feature vector width (checked at prediction).</summary>
    public int InputSize { get; set; }
    /// <summary>L1 penalty weight.</summary>
    public double L1 { get; set; }
    /// <summary>L2 penalty weight.</summary>
    public double L2 { get; set; } = 1.0;
    /// <summary>Largest number of L-BFGS iterations.</summary>
    public int MaxIterations { get; set; } = 1000;
    /// <summary>L-BFGS stops when the relative improvement falls below this.</summary>
    public double Tolerance { get; set; } = 1e-7;
}
