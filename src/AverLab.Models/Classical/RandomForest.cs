namespace AverLab.Models.Classical;

/// <summary>Random forest (seed 003's baseline, sklearn's RandomForestClassifier in spirit): ML.NET has no multiclass
/// forest, so one FastForest (bagged regression trees on bootstrap-like example and feature samples) per class,
/// one-versus-all, its scores Platt-calibrated and normalized to probabilities.</summary>
public static class RandomForest
{
    internal static readonly ModelSpec Spec = ModelSpec.ForClassical<RandomForestOptions>("random_forest",
        "random forest on a feature vector (ML.NET FastForest, one-versus-all), classical baseline");
}

/// <summary>Options of <see cref="RandomForest"/> (model.params of random_forest).</summary>
public sealed class RandomForestOptions : IClassicalOptions
{
    public int NumClasses { get; set; } = 8;
    /// <summary>Feature vector width (checked at prediction).</summary>
    public int InputSize { get; set; }
    /// <summary>Trees per class (FastForest NumberOfTrees).</summary>
    public int Trees { get; set; } = 100;
    /// <summary>Leaves per tree.</summary>
    public int Leaves { get; set; } = 20;
    /// <summary>Smallest number of training examples in a leaf.</summary>
    public int MinExamplesPerLeaf { get; set; } = 2;
    /// <summary>Fraction of the features each tree may split on.</summary>
    public double FeatureFraction { get; set; } = 0.7;
    /// <summary>Fraction of the training examples each tree is grown on.</summary>
    public double BaggingFraction { get; set; } = 0.7;
}
