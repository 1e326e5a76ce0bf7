namespace AverLab.Models.Classical;

/// <summary>Gradient-boosted trees with a softmax objective (ML.NET's LightGBM multiclass trainer; LightGBM's native
/// lib_lightgbm.so comes with the package and needs libgomp1).</summary>
public static class GradientBoosting
{
    internal static readonly ModelSpec Spec = ModelSpec.ForClassical<GradientBoostingOptions>("gradient_boosting",
        "gradient-boosted trees on a feature vector (ML.NET LightGBM multiclass), classical baseline");
}

/// <summary>Options of <see cref="GradientBoosting"/> (model.params of gradient_boosting).</summary>
public sealed class GradientBoostingOptions : IClassicalOptions
{
    public int NumClasses { get; set; } = 8;
    /// <summary>Feature vector width (checked at prediction).</summary>
    public int InputSize { get; set; }
    /// <summary>Boosting rounds.</summary>
    public int Iterations { get; set; } = 200;
    /// <summary>Shrinkage of each round.</summary>
    public double LearningRate { get; set; } = 0.05;
    /// <summary>Leaves per tree.</summary>
    public int Leaves { get; set; } = 15;
    /// <summary>Smallest number of training examples in a leaf.</summary>
    public int MinExamplesPerLeaf { get; set; } = 5;
    /// <summary>Fraction of the features each tree may split on.</summary>
    public double FeatureFraction { get; set; } = 0.5;
    /// <summary>L2 penalty on leaf values.</summary>
    public double L2 { get; set; }
}
