namespace AverLab.Data.Loading;

/// <summary>Which side of a split a loader serves; augmentation is allowed on <see cref="Train"/> only.</summary>
public enum SplitRole { Train, Validation, Test }
