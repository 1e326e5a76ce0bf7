namespace AverLab.FrontEnds;

/// <summary>features.pca: how many principal components to keep, as a count or as the fraction of the training
/// split's variance they must explain (sklearn's PCA(n_components=int | float)); give exactly one.</summary>
public sealed class PcaConfig : ISelfCheckedSection
{
    [Range(0, 100000), KeyDoc("number of components kept (0 = use variance)")]
    public int Components { get; set; }
    [Range(0, 1), KeyDoc("smallest number of components whose explained variance exceeds this fraction (0 = use components)")]
    public double Variance { get; set; }

    public string? FindProblem()
    {
        if ((Components > 0) == (Variance > 0)) return "give exactly one of components (> 0) or variance (in (0, 1))";
        if (Variance >= 1) return "variance must be below 1 (use components to keep them all)";
        return null;
    }
}

/// <summary>features.smote: synthetic minority examples (Chawla et al. 2002, as imblearn's SMOTE): a random example
/// of the class, one of its k nearest same-class neighbours, a random point on the segment between them.</summary>
public sealed class SmoteConfig
{
    [Range(1, 100), KeyDoc("nearest same-class neighbours to interpolate towards (fewer when a class has fewer examples)")]
    public int KNeighbors { get; set; } = 5;
}
